// X.509 fields as text with OpenSSL 3's non-deprecated accessors.
#include "certgen/shown_fields.hpp"

#include <openssl/x509v3.h>

#include <arpa/inet.h>

#include <ctime>

namespace tlsfault::certgen {
namespace {

std::string iso_time(const ASN1_TIME* time) {
    std::tm tm{};
    if (!time || ASN1_TIME_to_tm(time, &tm) != 1) return {};
    char text[32];
    return std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm) ? text : std::string();
}

std::string ia5(const ASN1_IA5STRING* s) {
    return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<std::size_t>(ASN1_STRING_length(s)));
}

std::string ip_text(const ASN1_OCTET_STRING* bytes) {
    char text[INET6_ADDRSTRLEN] = {};
    const int length = ASN1_STRING_length(bytes);
    const int family = length == 4 ? AF_INET : length == 16 ? AF_INET6 : 0;
    if (!family || !inet_ntop(family, ASN1_STRING_get0_data(bytes), text, sizeof text)) return "(" + std::to_string(length) + " bytes)";
    return text;
}

/// "DNS:name", "IP:addr", "URI:…", "email:…"; other kinds are left out.
std::string general_name_text(const GENERAL_NAME* name) {
    switch (name->type) {
    case GEN_DNS: return "DNS:" + ia5(name->d.dNSName);
    case GEN_IPADD: return "IP:" + ip_text(name->d.iPAddress);
    case GEN_URI: return "URI:" + ia5(name->d.uniformResourceIdentifier);
    case GEN_EMAIL: return "email:" + ia5(name->d.rfc822Name);
    default: return {};
    }
}

std::vector<std::string> subject_alt_names(const X509* cert) {
    std::vector<std::string> out;
    auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i)
        if (auto text = general_name_text(sk_GENERAL_NAME_value(names, i)); !text.empty()) out.push_back(std::move(text));
    GENERAL_NAMES_free(names);
    return out;
}

std::vector<std::string> crl_distribution_urls(const X509* cert) {
    std::vector<std::string> out;
    auto* points = static_cast<CRL_DIST_POINTS*>(X509_get_ext_d2i(cert, NID_crl_distribution_points, nullptr, nullptr));
    for (int i = 0; points && i < sk_DIST_POINT_num(points); ++i) {
        const DIST_POINT* point = sk_DIST_POINT_value(points, i);
        if (!point->distpoint || point->distpoint->type != 0) continue;  // 0: fullName
        const GENERAL_NAMES* names = point->distpoint->name.fullname;
        for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j)
            if (const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, j); name->type == GEN_URI)
                out.push_back(ia5(name->d.uniformResourceIdentifier));
    }
    CRL_DIST_POINTS_free(points);
    return out;
}

std::vector<std::string> ocsp_responder_urls(const X509* cert) {
    std::vector<std::string> out;
    STACK_OF(OPENSSL_STRING)* urls = X509_get1_ocsp(const_cast<X509*>(cert));  // does not modify; not const in the API
    for (int i = 0; urls && i < sk_OPENSSL_STRING_num(urls); ++i) out.emplace_back(sk_OPENSSL_STRING_value(urls, i));
    X509_email_free(urls);
    return out;
}

}  // namespace

ShownFields shown_fields(const X509* cert) {
    return ShownFields{iso_time(X509_get0_notBefore(cert)), iso_time(X509_get0_notAfter(cert)), subject_alt_names(cert),
                             crl_distribution_urls(cert), ocsp_responder_urls(cert)};
}

}  // namespace tlsfault::certgen
