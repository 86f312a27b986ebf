// X.509 names as text (see x509_names.hpp).
#include "certgen/x509_names.hpp"

#include <openssl/x509v3.h>

#include <arpa/inet.h>

#include <memory>

namespace tlsfault::certgen {
namespace {

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

void append_names(const GENERAL_NAMES* names, std::vector<std::string>& out) {
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) out.push_back(general_name_text(sk_GENERAL_NAME_value(names, i)));
}

}  // namespace

std::string general_name_text(const GENERAL_NAME* name) {
    switch (name->type) {
    case GEN_DNS: return "DNS:" + ia5(name->d.dNSName);
    case GEN_IPADD: return "IP:" + ip_text(name->d.iPAddress);
    case GEN_URI: return "URI:" + ia5(name->d.uniformResourceIdentifier);
    case GEN_EMAIL: return "email:" + ia5(name->d.rfc822Name);
    default: return "other";
    }
}

std::string ip_name_text(const std::string& literal) {
    std::unique_ptr<ASN1_OCTET_STRING, decltype(&ASN1_OCTET_STRING_free)> bytes(a2i_IPADDRESS(literal.c_str()), &ASN1_OCTET_STRING_free);
    return bytes ? "IP:" + ip_text(bytes.get()) : "IP:(0 bytes)";
}

std::vector<std::string> subject_alt_names(const X509* cert) {
    std::vector<std::string> out;
    auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    append_names(names, out);
    GENERAL_NAMES_free(names);
    return out;
}

std::vector<std::string> crl_distribution_names(const X509* cert) {
    std::vector<std::string> out;
    auto* points = static_cast<CRL_DIST_POINTS*>(X509_get_ext_d2i(cert, NID_crl_distribution_points, nullptr, nullptr));
    for (int i = 0; points && i < sk_DIST_POINT_num(points); ++i) {
        const DIST_POINT* point = sk_DIST_POINT_value(points, i);
        if (point->distpoint && point->distpoint->type == 0) append_names(point->distpoint->name.fullname, out);  // 0: fullName
    }
    CRL_DIST_POINTS_free(points);
    return out;
}

std::vector<std::string> access_locations(const X509* cert, int method) {
    std::vector<std::string> out;
    auto* access = static_cast<AUTHORITY_INFO_ACCESS*>(X509_get_ext_d2i(cert, NID_info_access, nullptr, nullptr));
    for (int i = 0; access && i < sk_ACCESS_DESCRIPTION_num(access); ++i) {
        const ACCESS_DESCRIPTION* entry = sk_ACCESS_DESCRIPTION_value(access, i);
        if (OBJ_obj2nid(entry->method) == method) out.push_back(general_name_text(entry->location));
    }
    AUTHORITY_INFO_ACCESS_free(access);
    return out;
}

std::vector<std::string> uris_only(const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (const auto& name : names)
        if (name.starts_with("URI:")) out.push_back(name.substr(4));
    return out;
}

}  // namespace tlsfault::certgen
