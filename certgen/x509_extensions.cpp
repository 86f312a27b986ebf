// See x509_extensions.hpp. OpenSSL 3.0's config parser costs a few microseconds per extension
// (a CONF_VALUE list, a lookup of the method, an encode) and the authority key identifier made
// through it decodes the issuer's subjectKeyIdentifier again for every certificate; a new host's
// leaf paid that seven times.
#include "certgen/x509_extensions.hpp"

#include "certgen/certgen_error.hpp"

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include <map>
#include <utility>

namespace tlsfault::certgen {
namespace {

/// Distinct constant extensions kept per thread; past this the table starts again (tests make
/// many profiles, a running proxy a few dozen).
constexpr std::size_t max_cached_extensions = 256;

std::string join(const std::vector<std::string>& items, const std::string& prefix) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += ',';
        out += prefix + item;
    }
    return out;
}

// URLs go into OpenSSL's extension config syntax, where ',' separates values: refuse anything
// that could change the meaning of the string.
void check_url(const std::string& url) {
    for (char c : url)
        if (c == ',' || c <= ' ' || c == 0x7f)
            throw CertgenError("URL '" + url + "' has a comma, space or control character; percent-encode it");
}

/// The extension `nid` = `value` as the config parser makes it, parsed once per thread. Only for
/// extensions that do not depend on the certificate or its issuer.
const X509_EXTENSION* constant_extension(int nid, const std::string& value) {
    thread_local std::map<std::pair<int, std::string>, X509ExtensionPtr> cache;
    auto key = std::make_pair(nid, value);
    if (auto it = cache.find(key); it != cache.end()) return it->second.get();
    X509V3_CTX context;  // these extensions read nothing from it
    X509V3_set_ctx_test(&context);
    X509ExtensionPtr ext(X509V3_EXT_nconf_nid(nullptr, &context, nid, value.c_str()));
    if (!ext) throw_openssl_error("cannot make extension " + std::string(OBJ_nid2sn(nid)) + " = " + value);
    if (cache.size() >= max_cached_extensions) cache.clear();
    return cache.emplace(std::move(key), std::move(ext)).first->second.get();
}

void add_constant(X509* cert, int nid, const std::string& value) {
    if (!X509_add_ext(cert, const_cast<X509_EXTENSION*>(constant_extension(nid, value)), -1))
        throw_openssl_error("cannot add extension " + std::string(OBJ_nid2sn(nid)) + " = " + value);
}

/// Adds `value` (an OpenSSL extension structure) encoded as extension `nid`, not critical.
void add_encoded(X509* cert, int nid, void* value) {
    if (X509_add1_ext_i2d(cert, nid, value, 0, X509V3_ADD_APPEND) != 1)
        throw_openssl_error("cannot add extension " + std::string(OBJ_nid2sn(nid)));
}

std::string key_usage_text(std::uint16_t bits) {
    static constexpr std::pair<KeyUsageBit, const char*> names[] = {
        {ku_digital_signature, "digitalSignature"},
        {ku_key_encipherment, "keyEncipherment"},
        {ku_key_agreement, "keyAgreement"},
        {ku_key_cert_sign, "keyCertSign"},
        {ku_crl_sign, "cRLSign"},
    };
    std::string out = "critical";
    for (auto [bit, name] : names)
        if (bits & bit) out += std::string(",") + name;
    return out;
}

using OctetPtr = std::unique_ptr<ASN1_OCTET_STRING, OpenSslDeleter<ASN1_OCTET_STRING_free>>;

/// subjectKeyIdentifier "hash": SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2, method 1),
/// as OpenSSL computes it, with the digest fetched once instead of per certificate.
OctetPtr key_identifier(const X509* cert) {
    static EVP_MD* const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    const ASN1_BIT_STRING* bits = X509_get0_pubkey_bitstr(cert);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    OctetPtr id(ASN1_OCTET_STRING_new());
    if (!sha1 || !bits || !id ||
        !EVP_Digest(ASN1_STRING_get0_data(bits), static_cast<std::size_t>(ASN1_STRING_length(bits)), digest, &length, sha1, nullptr) ||
        !ASN1_OCTET_STRING_set(id.get(), digest, static_cast<int>(length)))
        throw_openssl_error("cannot compute a subject key identifier");
    return id;
}

/// authorityKeyIdentifier "keyid:always": the issuer's subjectKeyIdentifier, keyid only.
void add_authority_key_id(X509* cert, const X509* issuer, const ASN1_OCTET_STRING* own_id) {
    const ASN1_OCTET_STRING* issuer_id = issuer ? X509_get0_subject_key_id(const_cast<X509*>(issuer)) : own_id;
    if (!issuer_id) throw CertgenError("cannot add extension authorityKeyIdentifier: the issuer has no subjectKeyIdentifier");
    std::unique_ptr<AUTHORITY_KEYID, OpenSslDeleter<AUTHORITY_KEYID_free>> akid(AUTHORITY_KEYID_new());
    if (!akid || !(akid->keyid = ASN1_OCTET_STRING_dup(issuer_id))) throw_openssl_error("cannot make an authority key identifier");
    add_encoded(cert, NID_authority_key_identifier, akid.get());
}

/// subjectAltName "DNS:a,DNS:b,IP:c": IA5 dNSNames as given, iPAddresses as a2i_IPADDRESS reads them.
void add_subject_alt_name(X509* cert, const CertificateFields& f) {
    std::unique_ptr<GENERAL_NAMES, OpenSslDeleter<GENERAL_NAMES_free>> names(sk_GENERAL_NAME_new_null());
    auto push = [&](int type, ASN1_STRING* value) {
        GENERAL_NAME* name = value ? GENERAL_NAME_new() : nullptr;
        if (!name) {
            ASN1_STRING_free(value);
            throw_openssl_error("cannot make a subjectAltName");
        }
        GENERAL_NAME_set0_value(name, type, value);
        if (!sk_GENERAL_NAME_push(names.get(), name)) {
            GENERAL_NAME_free(name);
            throw_openssl_error("cannot make a subjectAltName");
        }
    };
    for (const auto& dns : f.dns_names) {
        ASN1_IA5STRING* text = ASN1_IA5STRING_new();
        if (text && !ASN1_STRING_set(text, dns.data(), static_cast<int>(dns.size()))) {
            ASN1_IA5STRING_free(text);
            text = nullptr;
        }
        push(GEN_DNS, text);
    }
    for (const auto& ip : f.ip_addresses) {
        ASN1_OCTET_STRING* bytes = a2i_IPADDRESS(ip.c_str());
        if (!bytes) throw CertgenError("'" + ip + "' is not an IPv4 or IPv6 address");
        push(GEN_IPADD, bytes);
    }
    if (!f.dns_names.empty() || !f.ip_addresses.empty()) add_encoded(cert, NID_subject_alt_name, names.get());
}

void add_basic_constraints_and_usage(X509* cert, const CertificateFields& f) {
    std::string bc = f.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE";
    if (f.is_ca && f.path_len) bc += ",pathlen:" + std::to_string(*f.path_len);
    add_constant(cert, NID_basic_constraints, bc);
    if (f.key_usage) add_constant(cert, NID_key_usage, key_usage_text(f.key_usage));
    if (!f.extended_key_usage.empty()) {
        std::string eku;
        for (auto usage : f.extended_key_usage) eku += (eku.empty() ? "" : ",") + std::string(to_string(usage));
        add_constant(cert, NID_ext_key_usage, eku);
    }
}

void add_revocation_pointers(X509* cert, const CertificateFields& f) {
    for (const auto& url : f.crl_urls) check_url(url);
    if (!f.crl_urls.empty()) add_constant(cert, NID_crl_distribution_points, join(f.crl_urls, "URI:"));
    std::string aia = join(f.ocsp_urls, "OCSP;URI:");
    if (!f.ca_issuers_urls.empty()) aia += (aia.empty() ? "" : ",") + join(f.ca_issuers_urls, "caIssuers;URI:");
    for (const auto& url : f.ocsp_urls) check_url(url);
    for (const auto& url : f.ca_issuers_urls) check_url(url);
    if (!aia.empty()) add_constant(cert, NID_info_access, aia);
}

}  // namespace

void add_extensions(X509* cert, const X509* issuer, const CertificateFields& f) {
    add_basic_constraints_and_usage(cert, f);
    OctetPtr own_id = key_identifier(cert);
    add_encoded(cert, NID_subject_key_identifier, own_id.get());
    add_authority_key_id(cert, issuer, own_id.get());
    add_subject_alt_name(cert, f);
    add_revocation_pointers(cert, f);
    if (f.must_staple) add_constant(cert, NID_tlsfeature, "status_request");
    if (f.ocsp_no_check) add_constant(cert, NID_id_pkix_OCSP_noCheck, "ignored");
}

}  // namespace tlsfault::certgen
