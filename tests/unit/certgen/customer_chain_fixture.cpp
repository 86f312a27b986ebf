#include "tests/unit/certgen/customer_chain_fixture.hpp"

#include "certgen/key_type.hpp"

#include <openssl/conf.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>
#include <stdexcept>

namespace tlsfault::test {
namespace {

struct Spec {
    const char* subject;  // "/C=US/O=.../CN=..."
    std::vector<std::pair<int, std::string>> extensions;
    long days_before, days_after;
};

certgen::X509Ptr make(const Spec& spec, EVP_PKEY* key, const X509* issuer, EVP_PKEY* issuer_key, const EVP_MD* md, long serial) {
    certgen::X509Ptr cert(X509_new());
    X509_set_version(cert.get(), X509_VERSION_3);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
    X509_NAME* name = X509_NAME_new();
    std::string text = spec.subject;
    for (std::size_t pos = 1; pos < text.size();) {
        std::size_t next = text.find('/', pos);
        std::string part = text.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
        std::size_t eq = part.find('=');
        X509_NAME_add_entry_by_txt(name, part.substr(0, eq).c_str(), MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(part.c_str() + eq + 1), -1, -1, 0);
        pos = next == std::string::npos ? text.size() : next + 1;
    }
    X509_set_subject_name(cert.get(), name);
    X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
    X509_NAME_free(name);
    const time_t now = std::time(nullptr);
    ASN1_TIME_set(X509_getm_notBefore(cert.get()), now - spec.days_before * 86400);
    ASN1_TIME_set(X509_getm_notAfter(cert.get()), now + spec.days_after * 86400);
    X509_set_pubkey(cert.get(), key);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, const_cast<X509*>(issuer ? issuer : cert.get()), cert.get(), nullptr, nullptr, 0);
    // certificatePolicies is parsed only with a config database, even an empty one.
    std::unique_ptr<CONF, decltype(&NCONF_free)> conf(NCONF_new(nullptr), NCONF_free);
    X509V3_set_nconf(&ctx, conf.get());
    for (const auto& [nid, value] : spec.extensions) {
        certgen::X509ExtensionPtr ext(X509V3_EXT_nconf_nid(conf.get(), &ctx, nid, value.c_str()));
        if (!ext || !X509_add_ext(cert.get(), ext.get(), -1)) throw std::runtime_error("fixture extension " + value);
    }
    if (!X509_sign(cert.get(), issuer_key, md)) throw std::runtime_error("fixture sign");
    return cert;
}

}  // namespace

CustomerChain make_customer_chain() {
    CustomerChain c;
    auto root_key = certgen::generate_key(certgen::KeyType::ec_p384);
    auto int1_key = certgen::generate_key(certgen::KeyType::rsa_2048);
    auto int2_key = certgen::generate_key(certgen::KeyType::ec_p256);
    auto leaf_key = certgen::generate_key(certgen::KeyType::rsa_2048);
    const std::string ca_ext = "critical,CA:TRUE";
    auto root = make({"/C=US/O=Contoso Trust/CN=Contoso Root CA R1",
                      {{NID_basic_constraints, ca_ext},
                       {NID_key_usage, "critical,keyCertSign,cRLSign"},
                       {NID_subject_key_identifier, "hash"},
                       {NID_authority_key_identifier, "keyid:always"}},
                      3000,
                      3000},
                     root_key.get(), nullptr, root_key.get(), EVP_sha384(), 0x1001);
    auto int1 = make({"/C=US/O=Contoso Trust/CN=Contoso Policy CA 1",
                      {{NID_basic_constraints, ca_ext + ",pathlen:1"},
                       {NID_key_usage, "critical,keyCertSign,cRLSign"},
                       {NID_subject_key_identifier, "hash"},
                       {NID_authority_key_identifier, "keyid:always"},
                       {NID_certificate_policies, "2.5.29.32.0"},
                       {NID_crl_distribution_points, "URI:http://crl.contoso.test/root.crl"},
                       {NID_info_access, "OCSP;URI:http://ocsp.contoso.test/root,caIssuers;URI:http://pki.contoso.test/root.cer"}},
                      1000,
                      2000},
                     int1_key.get(), root.get(), root_key.get(), EVP_sha384(), 0x2002);
    auto int2 = make({"/C=US/O=Contoso Trust/OU=Servers/CN=Contoso Issuing CA 2",
                      {{NID_basic_constraints, ca_ext + ",pathlen:0"},
                       {NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign"},
                       {NID_subject_key_identifier, "hash"},
                       {NID_authority_key_identifier, "keyid:always"},
                       {NID_certificate_policies, "1.3.6.1.4.1.311.21.10,2.23.140.1.2.2"},
                       {NID_crl_distribution_points, "URI:http://crl.contoso.test/policy1.crl"},
                       {NID_info_access, "caIssuers;URI:http://pki.contoso.test/policy1.cer"}},
                      500,
                      1500},
                     int2_key.get(), int1.get(), int1_key.get(), EVP_sha256(), 0x3003);
    auto leaf = make({"/C=US/ST=Washington/L=Redmond/O=Contoso Ltd/OU=Web/CN=www.contoso.test",
                      {{NID_basic_constraints, "critical,CA:FALSE"},
                       {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
                       {NID_ext_key_usage, "serverAuth,clientAuth"},
                       {NID_subject_key_identifier, "hash"},
                       {NID_authority_key_identifier, "keyid:always"},
                       {NID_subject_alt_name, "DNS:www.contoso.test,DNS:api.contoso.test,IP:192.0.2.10"},
                       {NID_certificate_policies, "2.23.140.1.2.2,1.3.6.1.4.1.311.42.1"},
                       {NID_crl_distribution_points, "URI:http://crl.contoso.test/issuing2.crl,URI:ldap://ldap.contoso.test/cn=issuing2"},
                       {NID_info_access, "OCSP;URI:http://ocsp.contoso.test/issuing2,caIssuers;URI:http://pki.contoso.test/issuing2.cer"}},
                      30,
                      365},
                     leaf_key.get(), int2.get(), int2_key.get(), EVP_sha256(), 0x4004);
    c.certs.push_back(std::move(leaf));
    c.certs.push_back(std::move(int2));
    c.certs.push_back(std::move(int1));
    c.certs.push_back(std::move(root));
    c.keys.push_back(std::move(leaf_key));
    c.keys.push_back(std::move(int2_key));
    c.keys.push_back(std::move(int1_key));
    c.keys.push_back(std::move(root_key));
    return c;
}

std::string extension_text(const X509* cert, int nid) {
    int index = X509_get_ext_by_NID(cert, nid, -1);
    if (index < 0) return {};
    certgen::BioPtr bio(BIO_new(BIO_s_mem()));
    X509V3_EXT_print(bio.get(), X509_get_ext(cert, index), 0, 0);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(len));
}

}  // namespace tlsfault::test
