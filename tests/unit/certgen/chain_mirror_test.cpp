// The mirror builder field by field: what is copied from the customer's chain, what is
// rewritten for the lab, and what each mutation changes (checked with X509_verify_cert).
#include "tests/unit/certgen/customer_chain_fixture.hpp"

#include "certgen/certgen_error.hpp"
#include "certgen/crl_builder.hpp"
#include "certgen/lab_pki.hpp"
#include "certgen/mirror/customer_chain.hpp"
#include "certgen/pem_io.hpp"

#include <doctest/doctest.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

using namespace tlsfault;

namespace {

certgen::MirrorRequest request_for(const test::CustomerChain& c, certgen::MirrorMutations mutate = {}) {
    certgen::MirrorRequest r;
    for (const auto& cert : c.certs) r.source.push_back(certgen::share(cert.get()));
    r.origin = "customer.pem";
    r.mutate = std::move(mutate);
    return r;
}

struct Verify {
    std::string host = "www.contoso.test";
    int level = -1;
    X509_CRL* crl = nullptr;
};

// As a client would: only the lab copy of the root trusted, the served chain untrusted.
int verify(const certgen::MirroredChain& m, const Verify& v = {}) {
    certgen::X509StorePtr store(X509_STORE_new());
    X509_STORE_add_cert(store.get(), m.trusted_root.get());
    STACK_OF(X509)* untrusted = sk_X509_new_null();
    for (const auto& c : m.served->chain) sk_X509_push(untrusted, c.get());
    certgen::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    X509_STORE_CTX_init(ctx.get(), store.get(), m.served->leaf.get(), untrusted);
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
    if (!v.host.empty()) X509_VERIFY_PARAM_set1_host(param, v.host.c_str(), v.host.size());
    if (v.level >= 0) X509_VERIFY_PARAM_set_auth_level(param, v.level);
    X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
    STACK_OF(X509_CRL)* crls = nullptr;
    if (v.crl) {
        crls = sk_X509_CRL_new_null();
        sk_X509_CRL_push(crls, v.crl);
        X509_STORE_CTX_set0_crls(ctx.get(), crls);
        X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK);
    }
    int result = X509_verify_cert(ctx.get()) == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx.get());
    sk_X509_free(untrusted);
    sk_X509_CRL_free(crls);
    return result;
}

std::string name_of(const X509_NAME* name) {
    certgen::BioPtr bio(BIO_new(BIO_s_mem()));
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(len));
}

}  // namespace

TEST_CASE("mirror: names, SANs, policies, usages, constraints and validity are the customer's") {
    auto c = test::make_customer_chain();
    auto pki = certgen::LabPki::in_memory();
    auto m = pki->mirror(request_for(c));
    const X509* leaf = m.served->leaf.get();
    const X509* src = c.certs[0].get();
    CHECK(name_of(X509_get_subject_name(leaf)) == name_of(X509_get_subject_name(src)));
    CHECK(name_of(X509_get_issuer_name(leaf)) == name_of(X509_get_issuer_name(src)));
    for (int nid : {NID_subject_alt_name, NID_certificate_policies, NID_key_usage, NID_ext_key_usage, NID_basic_constraints}) {
        INFO(OBJ_nid2sn(nid));
        CHECK(test::extension_text(leaf, nid) == test::extension_text(src, nid));
        CHECK((X509_get_ext_by_NID(leaf, nid, -1) >= 0) == (X509_get_ext_by_NID(src, nid, -1) >= 0));
    }
    CHECK(ASN1_TIME_compare(X509_get0_notBefore(leaf), X509_get0_notBefore(src)) == 0);
    CHECK(ASN1_TIME_compare(X509_get0_notAfter(leaf), X509_get0_notAfter(src)) == 0);
    // Each CA copy keeps its name, pathlen and policies too.
    REQUIRE(m.served->chain.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        const X509* copy = m.served->chain[i].get();
        const X509* orig = c.certs[i + 1].get();
        CHECK(name_of(X509_get_subject_name(copy)) == name_of(X509_get_subject_name(orig)));
        CHECK(test::extension_text(copy, NID_basic_constraints) == test::extension_text(orig, NID_basic_constraints));
        CHECK(test::extension_text(copy, NID_certificate_policies) == test::extension_text(orig, NID_certificate_policies));
    }
    CHECK(name_of(X509_get_subject_name(m.trusted_root.get())) == name_of(X509_get_subject_name(c.certs[3].get())));
    CHECK(verify(m) == X509_V_OK);
}

TEST_CASE("mirror: lab keys of the same type and size, the same signature algorithms, new SKI/AKI") {
    auto c = test::make_customer_chain();
    auto pki = certgen::LabPki::in_memory();
    auto m = pki->mirror(request_for(c));
    std::vector<const X509*> copies = {m.served->leaf.get(), m.served->chain[0].get(), m.served->chain[1].get(), m.trusted_root.get()};
    for (std::size_t i = 0; i < copies.size(); ++i) {
        INFO("certificate " << i);
        CHECK(certgen::key_type_of(X509_get0_pubkey(copies[i])) == certgen::key_type_of(X509_get0_pubkey(c.certs[i].get())));
        CHECK(X509_get_signature_nid(copies[i]) == X509_get_signature_nid(c.certs[i].get()));
        CHECK(EVP_PKEY_eq(X509_get0_pubkey(copies[i]), X509_get0_pubkey(c.certs[i].get())) != 1);
        CHECK(test::extension_text(copies[i], NID_subject_key_identifier) !=
              test::extension_text(c.certs[i].get(), NID_subject_key_identifier));
    }
    CHECK(X509_check_issued(const_cast<X509*>(copies[1]), const_cast<X509*>(copies[0])) == X509_V_OK);
    CHECK(X509_get_signature_nid(copies[3]) == NID_ecdsa_with_SHA384);
}

TEST_CASE("mirror: CDP and AIA URLs point at the lab listener, same count and kinds, keep_urls keeps them") {
    auto c = test::make_customer_chain();
    auto pki = certgen::LabPki::in_memory({.revocation_url = "http://127.0.0.1:8099"});
    auto m = pki->mirror(request_for(c));
    const std::string issuer = m.served->issuer;
    CHECK(issuer.rfind("mirror-", 0) == 0);
    const std::string cdp = test::extension_text(m.served->leaf.get(), NID_crl_distribution_points);
    CHECK(cdp.find("URI:http://127.0.0.1:8099/crl/" + issuer + ".crl") != std::string::npos);
    CHECK(cdp.find("contoso") == std::string::npos);
    // Two URIs in, two out (the LDAP one too).
    std::size_t uris = 0;
    for (std::size_t pos = cdp.find("URI:"); pos != std::string::npos; pos = cdp.find("URI:", pos + 1)) ++uris;
    CHECK(uris == 2);
    const std::string aia = test::extension_text(m.served->leaf.get(), NID_info_access);
    CHECK(aia.find("OCSP - URI:http://127.0.0.1:8099/ocsp/" + issuer) != std::string::npos);
    CHECK(aia.find("CA Issuers - URI:http://127.0.0.1:8099/ca/" + issuer + ".der") != std::string::npos);

    auto request = request_for(c);
    request.keep_urls = true;
    auto kept = pki->mirror(request);
    CHECK(test::extension_text(kept.served->leaf.get(), NID_crl_distribution_points) ==
          test::extension_text(c.certs[0].get(), NID_crl_distribution_points));
    CHECK(test::extension_text(kept.served->leaf.get(), NID_info_access) == test::extension_text(c.certs[0].get(), NID_info_access));
}

TEST_CASE("mirror: CA keys are kept per subject in the state dir (0600): the same lab root across runs") {
    auto dir = std::filesystem::temp_directory_path() / ("tlsfault-mirror-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    auto c = test::make_customer_chain();
    certgen::X509Ptr first_root;
    {
        certgen::LabPki pki(dir);
        first_root = std::move(pki.mirror(request_for(c)).trusted_root);
    }
    certgen::LabPki again(dir);
    auto m = again.mirror(request_for(c));
    CHECK(EVP_PKEY_eq(X509_get0_pubkey(m.trusted_root.get()), X509_get0_pubkey(first_root.get())) == 1);
    std::size_t keys = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir / "mirror")) {
        if (entry.path().extension() != ".key") continue;
        ++keys;
        struct stat st {};
        ::stat(entry.path().c_str(), &st);
        CHECK((st.st_mode & 0777) == 0600);
    }
    CHECK(keys == 3);  // root and two intermediates; the leaf key is the pooled one
    // The lab root copy is written beside them, for clients to trust.
    const auto root_file = again.mirrored_root_file(request_for(c).source);
    CHECK(root_file.filename().string().ends_with(".root.pem"));
    CHECK(X509_cmp(certgen::cert_from_pem(certgen::read_file(root_file), "root").get(), m.trusted_root.get()) == 0);
    // A client that trusted the first run's root accepts the second run's chain.
    m.trusted_root = std::move(first_root);
    CHECK(verify(m) == X509_V_OK);
    std::filesystem::remove_all(dir);
}

TEST_CASE("mirror: each mutation gives the client error it is documented with") {
    auto c = test::make_customer_chain();
    auto pki = certgen::LabPki::in_memory();
    auto with = [&](auto set) {
        certgen::MirrorMutations mut;
        set(mut);
        return pki->mirror(request_for(c, mut));
    };
    CHECK(verify(with([](auto& m) { m.expired = true; })) == X509_V_ERR_CERT_HAS_EXPIRED);
    CHECK(verify(with([](auto& m) { m.not_yet_valid = true; })) == X509_V_ERR_CERT_NOT_YET_VALID);
    auto wrong = with([](auto& m) { m.wrong_host = "evil.example.net"; });
    CHECK(verify(wrong) == X509_V_ERR_HOSTNAME_MISMATCH);
    CHECK(verify(wrong, {.host = "evil.example.net"}) == X509_V_OK);
    CHECK(test::extension_text(wrong.served->leaf.get(), NID_subject_alt_name) == "DNS:evil.example.net");
    CHECK(name_of(X509_get_subject_name(wrong.served->leaf.get())).find("CN=evil.example.net") != std::string::npos);
    auto dropped = with([](auto& m) { m.drop_intermediate = true; });
    CHECK(dropped.served->chain.empty());
    CHECK(verify(dropped) == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
    auto self = with([](auto& m) { m.self_signed = true; });
    CHECK(verify(self) == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
    CHECK(name_of(X509_get_issuer_name(self.served->leaf.get())) == name_of(X509_get_subject_name(self.served->leaf.get())));
    auto rogue = with([](auto& m) { m.untrusted_root = true; });
    CHECK(verify(rogue) == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN);
    CHECK(name_of(X509_get_subject_name(rogue.served->chain.back().get())) == name_of(X509_get_subject_name(c.certs[3].get())));
    auto sha1 = with([](auto& m) { m.sha1 = true; });
    CHECK(X509_get_signature_nid(sha1.served->leaf.get()) == NID_ecdsa_with_SHA1);  // the issuing CA copy is EC, like the customer's
    CHECK(verify(sha1, {.level = 0}) == X509_V_OK);
    CHECK(verify(sha1, {.level = 1}) == X509_V_ERR_CA_MD_TOO_WEAK);
    auto weak = with([](auto& m) { m.rsa_1024 = true; });
    CHECK(EVP_PKEY_get_bits(X509_get0_pubkey(weak.served->leaf.get())) == 1024);
    CHECK(verify(weak, {.level = 2}) == X509_V_ERR_EE_KEY_TOO_SMALL);
    auto no_san = with([](auto& m) { m.remove_san = true; });
    CHECK(X509_get_ext_by_NID(no_san.served->leaf.get(), NID_subject_alt_name, -1) < 0);
    CHECK(name_of(X509_get_subject_name(no_san.served->leaf.get())).find("CN=www.contoso.test") != std::string::npos);
    auto eku = with([](auto& m) { m.eku = std::vector<std::string>{"clientAuth"}; });
    CHECK(test::extension_text(eku.served->leaf.get(), NID_ext_key_usage) == "TLS Web Client Authentication");
    CHECK(verify(eku) == X509_V_ERR_INVALID_PURPOSE);
}

TEST_CASE("mirror: revoked lists the leaf on its lab issuer's CRL") {
    auto c = test::make_customer_chain();
    auto pki = certgen::LabPki::in_memory();
    certgen::MirrorMutations mut;
    mut.revoked = true;
    auto m = pki->mirror(request_for(c, mut));
    auto entries = pki->revocations().entries_for(m.served->issuer);
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].serial_hex == m.served->serial_hex);
    auto issuer = pki->mirror_cas().find(m.served->issuer);
    REQUIRE(issuer);
    auto crl = certgen::build_crl(*issuer, entries);
    CHECK(verify(m, {.crl = crl.get()}) == X509_V_ERR_CERT_REVOKED);  // X509_V_FLAG_CRL_CHECK: the leaf's CRL only
}

TEST_CASE("customer chain: a PEM bundle in any order is sorted, DER is read, strangers are refused") {
    auto c = test::make_customer_chain();
    std::string shuffled = certgen::to_pem(c.certs[2].get()) + certgen::to_pem(c.certs[0].get()) + certgen::to_pem(c.certs[3].get()) +
                           certgen::to_pem(c.certs[1].get());
    auto ordered = certgen::order_chain(certgen::parse_certificates(shuffled, "bundle.pem"), "bundle.pem");
    REQUIRE(ordered.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) CHECK(X509_cmp(ordered[i].get(), c.certs[i].get()) == 0);
    auto der = certgen::parse_certificates(certgen::to_der(c.certs[0].get()), "leaf.cer");
    REQUIRE(der.size() == 1);
    CHECK(X509_cmp(der[0].get(), c.certs[0].get()) == 0);
    auto other = test::make_customer_chain();
    std::string mixed = shuffled + certgen::to_pem(other.certs[0].get());
    CHECK_THROWS_WITH_AS(certgen::order_chain(certgen::parse_certificates(mixed, "mixed.pem"), "mixed.pem"),
                         doctest::Contains("mixed.pem: holds 2 certificates that issue none of the others"), certgen::CertgenError);
    CHECK_THROWS_WITH_AS(certgen::parse_certificates("hello", "x.cer"), doctest::Contains("neither PEM nor a DER certificate"),
                         certgen::CertgenError);
}

TEST_CASE("mirror: a file that ends below its root gets a stand-in root with the top's issuer name") {
    auto c = test::make_customer_chain();
    c.certs.pop_back();  // leaf + 2 intermediates, as most servers send it
    auto pki = certgen::LabPki::in_memory();
    auto m = pki->mirror(request_for(c));
    CHECK(m.stand_in_root);
    CHECK(m.served->chain.size() == 2);
    CHECK(name_of(X509_get_subject_name(m.trusted_root.get())) == name_of(X509_get_issuer_name(c.certs[2].get())));
    CHECK(verify(m) == X509_V_OK);
}

TEST_CASE("mutations: names with did-you-mean, values checked, contradictions refused") {
    certgen::MirrorMutations m;
    CHECK_THROWS_WITH_AS(certgen::set_mutation(m, "expird", std::nullopt), doctest::Contains("did you mean 'expired'"),
                         certgen::CertgenError);
    CHECK_THROWS_WITH_AS(certgen::set_mutation(m, "wrong_host", std::nullopt), doctest::Contains("wrong_host=NAME"), certgen::CertgenError);
    CHECK_THROWS_WITH_AS(certgen::set_mutation(m, "eku", std::string_view("serverauth")), doctest::Contains("did you mean 'serverAuth'"),
                         certgen::CertgenError);
    certgen::set_mutation(m, "eku", std::string_view("serverAuth,clientAuth"));
    CHECK(m.eku == std::vector<std::string>{"serverAuth", "clientAuth"});
    certgen::set_mutation(m, "expired", std::nullopt);
    certgen::set_mutation(m, "not_yet_valid", std::string_view("true"));
    CHECK_THROWS_WITH_AS(certgen::check_mutations(m), doctest::Contains("expired and not_yet_valid contradict"), certgen::CertgenError);
    CHECK(certgen::describe(m) == "expired, not_yet_valid, eku=serverAuth,clientAuth");
}
