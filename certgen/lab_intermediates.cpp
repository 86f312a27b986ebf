#include "certgen/lab_intermediates.hpp"

#include "certgen/certgen_error.hpp"
#include "certgen/certificate_builder.hpp"
#include "certgen/key_type.hpp"

#include <openssl/x509v3.h>

#include <ctime>

namespace tlsfault::certgen {
namespace {

std::string name_entry(const X509* cert, int nid) {
    char text[256] = {};
    int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), nid, text, sizeof text);
    return n > 0 ? std::string(text, static_cast<std::size_t>(n)) : std::string();
}

std::int64_t epoch_of(const ASN1_TIME* time) {
    std::tm tm{};
    if (!ASN1_TIME_to_tm(time, &tm)) throw_openssl_error("cannot read a CA certificate's validity");
    return static_cast<std::int64_t>(timegm(&tm));
}

/// The fields of an existing CA certificate, ready to sign again.
CertificateFields ca_fields(const X509* cert) {
    CertificateFields fields;
    fields.common_name = name_entry(cert, NID_commonName);
    fields.organization = name_entry(cert, NID_organizationName);
    fields.not_before = epoch_of(X509_get0_notBefore(cert));
    fields.not_after = epoch_of(X509_get0_notAfter(cert));
    fields.is_ca = true;
    const long path_len = X509_get_pathlen(const_cast<X509*>(cert));
    if (path_len >= 0) fields.path_len = static_cast<int>(path_len);
    fields.key_usage = ku_key_cert_sign | ku_crl_sign | ku_digital_signature;
    return fields;
}

}  // namespace

std::string intermediate_short_name(IntermediateStatus status) {
    return status == IntermediateStatus::good ? "intermediate" : "intermediate-" + std::string(to_string(status));
}

IntermediateUrls intermediate_urls(IntermediateStatus status, const std::string& revocation_url, const std::string& unreachable_url) {
    const std::string& base = status == IntermediateStatus::unreachable ? unreachable_url : revocation_url;
    return {{base + "/crl/root.crl"}, {base + "/ocsp/root"}};
}

X509Ptr reissue_intermediate(const CertificateAuthority& ca, const CertificateAuthority& root, const IntermediateUrls& urls) {
    CertificateFields fields = ca_fields(ca.cert.get());
    fields.crl_urls = urls.crl_urls;
    fields.ocsp_urls = urls.ocsp_urls;
    return build_certificate(fields, ca.key.get(), root.cert.get(), root.key.get(), EVP_sha256());
}

CertificateAuthority make_status_intermediate(IntermediateStatus status, const CertificateAuthority& main,
                                              const CertificateAuthority& root) {
    CertificateAuthority ca;
    ca.short_name = intermediate_short_name(status);
    ca.key = generate_key(KeyType::ec_p256);
    CertificateFields fields = ca_fields(main.cert.get());
    const std::string suffix = " (" + std::string(to_string(status)) + ")";
    // RFC 5280 caps a CN at 64 characters: the tag at the end gives way to the suffix.
    fields.common_name = fields.common_name.substr(0, 64 - suffix.size()) + suffix;
    ca.cert = build_certificate(fields, ca.key.get(), root.cert.get(), root.key.get(), EVP_sha256());
    return ca;
}

}  // namespace tlsfault::certgen
