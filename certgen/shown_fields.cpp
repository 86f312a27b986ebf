// X.509 fields as text with OpenSSL 3's non-deprecated accessors; the names are read by
// x509_names (shared with the mirror's chain report).
#include "certgen/shown_fields.hpp"

#include "certgen/x509_names.hpp"

#include <openssl/x509v3.h>

#include <ctime>
#include <utility>

namespace tlsfault::certgen {
namespace {

std::string iso_time(const ASN1_TIME* time) {
    std::tm tm{};
    if (!time || ASN1_TIME_to_tm(time, &tm) != 1) return {};
    char text[32];
    return std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm) ? text : std::string();
}

}  // namespace

ShownFields shown_fields(const X509* cert) {
    return ShownFields{iso_time(X509_get0_notBefore(cert)), iso_time(X509_get0_notAfter(cert)), subject_alt_names(cert),
                       uris_only(crl_distribution_names(cert)), uris_only(access_locations(cert, NID_ad_OCSP))};
}

ShownFields shown_fields(const X509* cert, std::vector<std::string> san, std::vector<std::string> crl_urls,
                         std::vector<std::string> ocsp_urls) {
    return ShownFields{iso_time(X509_get0_notBefore(cert)), iso_time(X509_get0_notAfter(cert)), std::move(san), std::move(crl_urls),
                       std::move(ocsp_urls)};
}

}  // namespace tlsfault::certgen
