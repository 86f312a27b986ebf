// The extensions built without the config parser (certgen/x509_extensions.*) are, byte for byte,
// the ones OpenSSL's config parser made from the same fields before: each certificate is built
// twice, once through add_extensions and once through X509V3_EXT_nconf_nid with the strings the
// builder used to write, and the DER of every extension is compared in order.
#include "certgen/certificate_builder.hpp"
#include "certgen/key_type.hpp"
#include "certgen/lab_pki.hpp"
#include "certgen/shown_fields.hpp"
#include "certgen/x509_extensions.hpp"
#include "certgen/x509_names.hpp"

#include <doctest/doctest.h>
#include <openssl/x509v3.h>

#include <string>
#include <vector>

using namespace tlsfault;
using namespace tlsfault::certgen;

namespace {

std::string join(const std::vector<std::string>& items, const std::string& prefix) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ",") + prefix + item;
    return out;
}

/// What certificate_builder wrote into the config parser before x509_extensions.
void add_through_parser(X509* cert, const X509* issuer, const CertificateFields& f) {
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, const_cast<X509*>(issuer ? issuer : cert), cert, nullptr, nullptr, 0);
    auto add = [&](int nid, const std::string& value) {
        X509ExtensionPtr ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value.c_str()));
        REQUIRE(ext);
        REQUIRE(X509_add_ext(cert, ext.get(), -1));
    };
    std::string bc = f.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE";
    if (f.is_ca && f.path_len) bc += ",pathlen:" + std::to_string(*f.path_len);
    add(NID_basic_constraints, bc);
    if (f.key_usage) {
        std::string ku = "critical";
        if (f.key_usage & ku_digital_signature) ku += ",digitalSignature";
        if (f.key_usage & ku_key_encipherment) ku += ",keyEncipherment";
        if (f.key_usage & ku_key_agreement) ku += ",keyAgreement";
        if (f.key_usage & ku_key_cert_sign) ku += ",keyCertSign";
        if (f.key_usage & ku_crl_sign) ku += ",cRLSign";
        add(NID_key_usage, ku);
    }
    std::string eku;
    for (auto usage : f.extended_key_usage) eku += (eku.empty() ? "" : ",") + std::string(to_string(usage));
    if (!eku.empty()) add(NID_ext_key_usage, eku);
    add(NID_subject_key_identifier, "hash");
    add(NID_authority_key_identifier, "keyid:always");
    std::string san = join(f.dns_names, "DNS:");
    if (!f.ip_addresses.empty()) san += (san.empty() ? "" : ",") + join(f.ip_addresses, "IP:");
    if (!san.empty()) add(NID_subject_alt_name, san);
    if (!f.crl_urls.empty()) add(NID_crl_distribution_points, join(f.crl_urls, "URI:"));
    std::string aia = join(f.ocsp_urls, "OCSP;URI:");
    if (!f.ca_issuers_urls.empty()) aia += (aia.empty() ? "" : ",") + join(f.ca_issuers_urls, "caIssuers;URI:");
    if (!aia.empty()) add(NID_info_access, aia);
    if (f.must_staple) add(NID_tlsfeature, "status_request");
    if (f.ocsp_no_check) add(NID_id_pkix_OCSP_noCheck, "ignored");
}

X509Ptr shell(EVP_PKEY* key) {
    X509Ptr cert(X509_new());
    REQUIRE(cert);
    REQUIRE(X509_set_version(cert.get(), X509_VERSION_3));
    REQUIRE(X509_set_pubkey(cert.get(), key));
    return cert;
}

std::vector<std::string> extension_der(const X509* cert) {
    std::vector<std::string> out;
    for (int i = 0; i < X509_get_ext_count(cert); ++i) {
        unsigned char* der = nullptr;
        const int length = i2d_X509_EXTENSION(X509_get_ext(cert, i), &der);
        out.emplace_back(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
        OPENSSL_free(der);
    }
    return out;
}

void check_same(const CertificateFields& f, EVP_PKEY* key, const X509* issuer) {
    auto built = shell(key);
    add_extensions(built.get(), issuer, f);
    auto parsed = shell(key);
    add_through_parser(parsed.get(), issuer, f);
    CHECK(X509_get_ext_count(built.get()) == X509_get_ext_count(parsed.get()));
    CHECK(extension_der(built.get()) == extension_der(parsed.get()));
}

}  // namespace

TEST_CASE("x509 extensions: the same DER as the config parser gave, for leaves, CAs and responders") {
    auto pki = LabPki::in_memory();
    const X509* issuer = pki->cas().issuer(IssuerKind::intermediate, IntermediateStatus::good)->cert.get();
    for (KeyType type : {KeyType::ec_p256, KeyType::rsa_2048, KeyType::ed25519}) {
        EVP_PKEY* key = pki->keys().key(type);
        INFO("key type " << to_string(type));
        CertificateFields leaf;
        leaf.dns_names = {"api.opendns.com", "*.Contoso.com"};
        leaf.ip_addresses = {"127.0.0.1", "::0:1", "2001:db8::7"};
        leaf.key_usage = ku_digital_signature | ku_key_encipherment;
        leaf.extended_key_usage = {ExtendedKeyUsage::server_auth, ExtendedKeyUsage::client_auth};
        leaf.crl_urls = {"http://127.0.0.1:8082/crl/intermediate.crl", "http://127.0.0.1:9/crl/b.crl"};
        leaf.ocsp_urls = {"http://127.0.0.1:8082/ocsp/intermediate"};
        leaf.ca_issuers_urls = {"http://127.0.0.1:8082/ca/intermediate.der"};
        leaf.must_staple = true;
        check_same(leaf, key, issuer);
        check_same(leaf, key, nullptr);  // self-signed: the AKID is the certificate's own SKID

        CertificateFields bare;  // no SAN, no usages, no URLs
        check_same(bare, key, issuer);

        CertificateFields ca;
        ca.is_ca = true;
        ca.path_len = 0;
        ca.key_usage = ku_key_cert_sign | ku_crl_sign;
        ca.extended_key_usage.clear();
        check_same(ca, key, nullptr);

        CertificateFields responder;
        responder.key_usage = ku_digital_signature;
        responder.extended_key_usage = {ExtendedKeyUsage::ocsp_signing};
        responder.ocsp_no_check = true;
        check_same(responder, key, issuer);
    }
}

TEST_CASE("x509 extensions: the event's SAN text is what reading the certificate back gives") {
    CHECK(ip_name_text("::0:1") == "IP:::1");
    CHECK(ip_name_text("127.0.0.1") == "IP:127.0.0.1");
    auto pki = LabPki::in_memory();
    CertificateFields f;
    f.dns_names = {"a.test"};
    f.ip_addresses = {"2001:0db8:0:0::7", "10.0.0.1"};
    auto cert = shell(pki->keys().key(KeyType::ec_p256));
    add_extensions(cert.get(), nullptr, f);
    CHECK(subject_alt_names(cert.get()) == std::vector<std::string>{"DNS:a.test", "IP:2001:db8::7", "IP:10.0.0.1"});
    CHECK(ip_name_text(f.ip_addresses[0]) == "IP:2001:db8::7");
}

TEST_CASE("x509 extensions: a URL the parser would split is refused") {
    auto pki = LabPki::in_memory();
    CertificateFields f;
    f.crl_urls = {"http://a/x,URI:http://b/y"};
    auto cert = shell(pki->keys().key(KeyType::ec_p256));
    CHECK_THROWS(add_extensions(cert.get(), nullptr, f));
}
