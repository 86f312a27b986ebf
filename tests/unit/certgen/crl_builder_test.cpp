// CRLs: signed by their CA, listing only that CA's revoked serials with reasons.
#include "certgen/crl_builder.hpp"
#include "certgen/lab_pki.hpp"

#include <doctest/doctest.h>

using namespace tlsfault;

TEST_CASE("crl: signed by the CA, lists its revoked serials with reason") {
    auto pki = certgen::LabPki::in_memory();
    std::vector<certgen::RevokedEntry> entries = {
        {"intermediate", "4A1B2C3D4E5F60718293A4B5C6D7E8F9", 1700000000, 1},
        {"intermediate", "5A1B2C3D4E5F60718293A4B5C6D7E8F9", 1700000000, 4},
        {"root", "6A1B2C3D4E5F60718293A4B5C6D7E8F9", 1700000000, 1},
    };
    auto crl = certgen::build_crl(pki->cas().intermediate(), entries);
    CHECK(X509_CRL_verify(crl.get(), X509_get0_pubkey(pki->cas().intermediate().cert.get())) == 1);
    CHECK(X509_CRL_verify(crl.get(), X509_get0_pubkey(pki->cas().root().cert.get())) != 1);
    STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl.get());
    REQUIRE(sk_X509_REVOKED_num(revoked) == 2);
    bool saw_superseded = false;
    for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i) {
        int crit = 0;
        auto* reason =
            static_cast<ASN1_ENUMERATED*>(X509_REVOKED_get_ext_d2i(sk_X509_REVOKED_value(revoked, i), NID_crl_reason, &crit, nullptr));
        REQUIRE(reason != nullptr);
        saw_superseded |= ASN1_ENUMERATED_get(reason) == 4;
        ASN1_ENUMERATED_free(reason);
    }
    CHECK(saw_superseded);
    CHECK(X509_cmp_current_time(X509_CRL_get0_nextUpdate(crl.get())) > 0);
}

TEST_CASE("crl: the stale option puts nextUpdate in the past") {
    auto pki = certgen::LabPki::in_memory();
    certgen::CrlOptions options;
    options.stale = true;
    auto crl = certgen::build_crl(pki->cas().root(), {}, options);
    CHECK(X509_cmp_current_time(X509_CRL_get0_nextUpdate(crl.get())) < 0);
    CHECK(X509_cmp_current_time(X509_CRL_get0_lastUpdate(crl.get())) < 0);
}

TEST_CASE("crl: signed with the wrong key, it does not verify against its CA") {
    auto pki = certgen::LabPki::in_memory();
    auto wrong = certgen::generate_key(certgen::KeyType::ec_p256);
    certgen::CrlOptions options;
    options.wrong_signing_key = wrong.get();
    auto crl = certgen::build_crl(pki->cas().intermediate(), {}, options);
    CHECK(X509_CRL_verify(crl.get(), X509_get0_pubkey(pki->cas().intermediate().cert.get())) != 1);
    CHECK(X509_CRL_verify(crl.get(), wrong.get()) == 1);
}
