// Leaf minting: every key type, IP hosts, long names, extensions, shared keys, placeholders.
#include "tests/unit/certgen/customer_chain_fixture.hpp"
#include "tests/unit/certgen/verify_helpers.hpp"

#include "certgen/catalogue.hpp"
#include "certgen/certgen_error.hpp"
#include "certgen/lab_pki.hpp"
#include "certgen/pem_io.hpp"

#include <doctest/doctest.h>
#include <openssl/x509_vfy.h>

using namespace tlsfault;

using tlsfault::test::extension_text;

TEST_CASE("minter: every key type mints a leaf that verifies") {
    auto pki = certgen::LabPki::in_memory();
    for (certgen::KeyType type : certgen::all_key_types()) {
        certgen::CertProfile p = *certgen::find_profile("good");
        p.key_type = type;
        auto cert = pki->minter().mint(p, "api.opendns.com");
        INFO("key type " << certgen::to_string(type));
        CHECK(certgen::key_type_of(X509_get0_pubkey(cert->leaf.get())) == type);
        // At level 0: a 1024-bit RSA leaf is still a valid chain, just a weak one.
        CHECK(test::verify_first_error(*cert, pki->cas(), {.host = "api.opendns.com", .security_level = 0}) == X509_V_OK);
    }
}

TEST_CASE("minter: a self-signed Ed25519 leaf signs without a digest") {
    auto pki = certgen::LabPki::in_memory();
    certgen::CertProfile p = *certgen::find_profile("self-signed");
    p.key_type = certgen::KeyType::ed25519;
    auto cert = pki->minter().mint(p, "localhost");
    CHECK(X509_get_signature_nid(cert->leaf.get()) == NID_ED25519);
    CHECK(test::verify_first_error(*cert, pki->cas(), {.host = "localhost"}) == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
}

TEST_CASE("minter: digests") {
    auto pki = certgen::LabPki::in_memory();
    certgen::CertProfile p = *certgen::find_profile("good");
    p.digest = certgen::Digest::sha384;
    CHECK(X509_get_signature_nid(pki->minter().mint(p, "a.test")->leaf.get()) == NID_ecdsa_with_SHA384);
    p.digest = certgen::Digest::sha1;
    CHECK(X509_get_signature_nid(pki->minter().mint(p, "a.test")->leaf.get()) == NID_ecdsa_with_SHA1);
}

TEST_CASE("minter: an IP host goes into an IP SAN and verifies as an IP") {
    auto pki = certgen::LabPki::in_memory();
    auto cert = pki->minter().mint(*certgen::find_profile("good"), "127.0.0.1");
    CHECK(extension_text(cert->leaf.get(), NID_subject_alt_name).find("IP Address:127.0.0.1") != std::string::npos);
    auto v6 = pki->minter().mint(*certgen::find_profile("good"), "::1");
    CHECK(extension_text(v6->leaf.get(), NID_subject_alt_name).find("IP Address:0:0:0:0:0:0:0:1") != std::string::npos);
}

TEST_CASE("minter: a host longer than 64 characters has no CN but a SAN") {
    auto pki = certgen::LabPki::in_memory();
    std::string host = std::string(60, 'a') + ".example.test";
    auto cert = pki->minter().mint(*certgen::find_profile("good"), host);
    CHECK(certgen::subject_line(cert->leaf.get()).find("CN=") == std::string::npos);
    CHECK(test::verify_first_error(*cert, pki->cas(), {.host = host}) == X509_V_OK);
}

TEST_CASE("minter: hosts that cannot be in a certificate are refused") {
    auto pki = certgen::LabPki::in_memory();
    const auto& good = *certgen::find_profile("good");
    for (const char* bad : {"", "a,DNS:evil.test", "has space.test", "a..b", "-\n-", "x/y"}) {
        INFO("host '" << bad << "'");
        CHECK_THROWS_AS(pki->minter().mint(good, bad), certgen::CertgenError);
    }
}

TEST_CASE("minter: leaves of one key type share one key, each leaf has its own serial") {
    auto pki = certgen::LabPki::in_memory();
    const auto& good = *certgen::find_profile("good");
    auto a = pki->minter().mint(good, "a.test");
    auto b = pki->minter().mint(good, "b.test");
    CHECK(EVP_PKEY_eq(a->key.get(), b->key.get()) == 1);
    CHECK(a->serial_hex != b->serial_hex);
    CHECK(a->serial_hex.size() == 32);
    CHECK(a->sha256_fingerprint.size() == 95);
}

TEST_CASE("minter: placeholders expand into CDP and AIA URLs") {
    certgen::MintOptions options;
    options.revocation_url = "http://127.0.0.7:18082";
    auto pki = certgen::LabPki::in_memory(options);
    auto good = pki->minter().mint(*certgen::find_profile("good"), "a.test");
    CHECK(extension_text(good->leaf.get(), NID_crl_distribution_points).find("URI:http://127.0.0.7:18082/crl/intermediate.crl") !=
          std::string::npos);
    CHECK(extension_text(good->leaf.get(), NID_info_access).find("OCSP - URI:http://127.0.0.7:18082/ocsp/intermediate") !=
          std::string::npos);
    auto aia = pki->minter().mint(*certgen::find_profile("missing-intermediate-aia"), "a.test");
    CHECK(extension_text(aia->leaf.get(), NID_info_access).find("CA Issuers - URI:http://127.0.0.7:18082/ca/intermediate.der") !=
          std::string::npos);
    auto missing = pki->minter().mint(*certgen::find_profile("missing-intermediate"), "a.test");
    CHECK(extension_text(missing->leaf.get(), NID_info_access).find("CA Issuers") == std::string::npos);
    CHECK(missing->chain.empty());
}

TEST_CASE("minter: must-staple, basic constraints and key usage") {
    auto pki = certgen::LabPki::in_memory();
    certgen::CertProfile p = *certgen::find_profile("good");
    p.must_staple = true;
    auto stapled = pki->minter().mint(p, "a.test");
    CHECK(X509_get_ext_by_NID(stapled->leaf.get(), NID_tlsfeature, -1) >= 0);
    auto ca_leaf = pki->minter().mint(*certgen::find_profile("leaf-is-ca"), "a.test");
    CHECK(X509_check_ca(ca_leaf->leaf.get()) != 0);
    CHECK(extension_text(ca_leaf->leaf.get(), NID_basic_constraints).find("pathlen:0") != std::string::npos);
    p = *certgen::find_profile("good");
    p.key_type = certgen::KeyType::rsa_2048;
    auto rsa = pki->minter().mint(p, "a.test");
    CHECK(extension_text(rsa->leaf.get(), NID_key_usage).find("Key Encipherment") != std::string::npos);
}

TEST_CASE("minter: absolute validity bounds") {
    auto pki = certgen::LabPki::in_memory();
    certgen::CertProfile p = *certgen::find_profile("good");
    p.not_before = certgen::TimeBound::at(1700000000);  // 2023-11-14
    p.not_after = certgen::TimeBound::at(1800000000);   // 2027-01-15
    auto cert = pki->minter().mint(p, "a.test");
    certgen::Asn1TimePtr expected(ASN1_TIME_set(nullptr, 1700000000));
    CHECK(ASN1_TIME_compare(X509_get0_notBefore(cert->leaf.get()), expected.get()) == 0);
}

TEST_CASE("minter: revoked profiles land in the registry under their issuer") {
    auto pki = certgen::LabPki::in_memory();
    auto revoked = pki->minter().mint(*certgen::find_profile("revoked"), "a.test");
    pki->minter().mint(*certgen::find_profile("good"), "a.test");
    auto entries = pki->revocations().entries_for("intermediate");
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].serial_hex == revoked->serial_hex);
    // The root's CRL lists only the revoked stand-in intermediate (chain.intermediate_status).
    auto root_entries = pki->revocations().entries_for("root");
    REQUIRE(root_entries.size() == 1);
    CHECK(root_entries[0].serial_hex == certgen::serial_hex(pki->cas().intermediate(certgen::IntermediateStatus::revoked).cert.get()));
}

TEST_CASE("minter: the subject and issuer are kept as text, as subject_line and issuer_line give them") {
    auto pki = certgen::LabPki::in_memory();
    auto cert = pki->minter().mint(*certgen::find_profile("good"), "named.test");
    CHECK(cert->subject_text == certgen::subject_line(cert->leaf.get()));
    CHECK(cert->issuer_text == certgen::issuer_line(cert->leaf.get()));
    CHECK(cert->subject_text.find("CN=named.test") != std::string::npos);
}
