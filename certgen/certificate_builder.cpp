#include "certgen/certificate_builder.hpp"

#include "certgen/certgen_error.hpp"
#include "certgen/x509_extensions.hpp"

#include <openssl/rand.h>

#include <arpa/inet.h>

namespace tlsfault::certgen {
namespace {

void set_subject(X509* cert, const CertificateFields& f) {
    X509_NAME* name = X509_get_subject_name(cert);
    auto add = [&](int nid, const std::string& value) {
        if (!value.empty() &&
            !X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0))
            throw_openssl_error(std::string("cannot set subject ") + OBJ_nid2sn(nid) + " = " + value);
    };
    add(NID_organizationName, f.organization);
    // RFC 5280 caps a CN at 64 characters; a longer host goes in the SAN only.
    if (f.common_name.size() <= 64) add(NID_commonName, f.common_name);
}

}  // namespace

void set_random_serial(X509* cert) {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw_openssl_error("no randomness for a serial number");
    bytes[0] &= 0x7f;  // positive
    bytes[0] |= 0x40;  // and 16 bytes long, never a short or zero serial
    BignumPtr bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
    if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert))) throw_openssl_error("cannot set a serial");
}

X509Ptr build_certificate(const CertificateFields& f, EVP_PKEY* subject_key, const X509* issuer_cert, EVP_PKEY* issuer_key,
                          const EVP_MD* md) {
    X509Ptr cert(X509_new());
    if (!cert || !X509_set_version(cert.get(), X509_VERSION_3) || !X509_set_pubkey(cert.get(), subject_key))
        throw_openssl_error("cannot fill in certificate " + f.common_name);
    return with_cached_encoding(build_certificate(std::move(cert), f, issuer_cert, issuer_key, md));
}

X509Ptr build_certificate(X509Ptr cert, const CertificateFields& f, const X509* issuer_cert, EVP_PKEY* issuer_key, const EVP_MD* md) {
    for (const auto& name : f.dns_names)
        if (!is_valid_dns_name(name)) throw CertgenError("'" + name + "' is not a valid DNS name for a certificate");
    for (const auto& ip : f.ip_addresses)
        if (!is_ip_address(ip)) throw CertgenError("'" + ip + "' is not an IPv4 or IPv6 address");
    set_random_serial(cert.get());
    set_subject(cert.get(), f);
    X509_NAME* issuer_name = issuer_cert ? X509_get_subject_name(issuer_cert) : X509_get_subject_name(cert.get());
    if (!X509_set_issuer_name(cert.get(), issuer_name) ||
        !ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(f.not_before)) ||
        !ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(f.not_after)))
        throw_openssl_error("cannot fill in certificate " + f.common_name);
    add_extensions(cert.get(), issuer_cert, f);
    if (!X509_sign(cert.get(), issuer_key, md))
        throw_openssl_error("cannot sign certificate " + f.common_name +
                            (md == EVP_sha1() ? " with SHA-1 (this OpenSSL refuses SHA-1 signatures: see docs/certgen.md)" : ""));
    return cert;
}

X509Ptr with_cached_encoding(X509Ptr cert) { return parsed_copy(cert.get()); }

X509Ptr parsed_copy(const X509* cert) {
    unsigned char* der = nullptr;
    const int length = i2d_X509(cert, &der);
    if (length <= 0) throw_openssl_error("cannot encode a certificate just signed");
    const unsigned char* cursor = der;
    X509Ptr parsed(d2i_X509(nullptr, &cursor, length));
    OPENSSL_free(der);
    if (!parsed) throw_openssl_error("cannot read back a certificate just signed");
    return parsed;
}

bool is_valid_dns_name(std::string_view name) {
    if (name.empty() || name.size() > 253) return false;
    if (name.rfind("*.", 0) == 0) name.remove_prefix(2);
    std::size_t label = 0;
    for (char c : name) {
        if (c == '.') {
            if (label == 0) return false;
            label = 0;
            continue;
        }
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok || ++label > 63) return false;
    }
    return label > 0;
}

bool is_ip_address(std::string_view text) {
    std::string s(text);
    unsigned char buf[16];
    return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

}  // namespace tlsfault::certgen
