// Every catalogue profile, judged by OpenSSL's own chain verification: each fails with the
// error it exists to show, and only under the conditions it documents.
#include "tests/unit/certgen/verify_helpers.hpp"

#include "certgen/catalogue.hpp"
#include "certgen/crl_builder.hpp"
#include "certgen/lab_pki.hpp"

#include <doctest/doctest.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <map>

using namespace tlsfault;

namespace {

constexpr const char* host = "shop.example.test";

// The intended result of each profile, written down here independently of the catalogue.
const std::map<std::string, int> intended = {
    {"good", X509_V_OK},
    {"self-signed", X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT},
    {"untrusted-root", X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN},
    {"wrong-host", X509_V_ERR_HOSTNAME_MISMATCH},
    {"expired", X509_V_ERR_CERT_HAS_EXPIRED},
    {"not-yet-valid", X509_V_ERR_CERT_NOT_YET_VALID},
    {"missing-intermediate", X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY},
    {"missing-intermediate-aia", X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY},
    {"revoked", X509_V_ERR_CERT_REVOKED},
    {"crl-unreachable", X509_V_ERR_UNABLE_TO_GET_CRL},
    {"sha1-signature", X509_V_ERR_CA_MD_TOO_WEAK},
    {"rsa-1024", X509_V_ERR_EE_KEY_TOO_SMALL},
    {"no-san", X509_V_ERR_HOSTNAME_MISMATCH},
    {"wrong-eku", X509_V_ERR_INVALID_PURPOSE},
    {"leaf-is-ca", X509_V_ERR_INVALID_PURPOSE},
    {"wildcard-mismatch", X509_V_ERR_HOSTNAME_MISMATCH},
    {"long-validity", X509_V_OK},
    {"cmg-secure-failure", X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN},
    {"client", X509_V_OK},
};

struct Lab {
    std::unique_ptr<certgen::LabPki> pki = certgen::LabPki::in_memory();
    std::shared_ptr<const certgen::IssuedCertificate> mint(const std::string& profile) {
        return pki->minter().mint(*certgen::find_profile(profile), host);
    }
    certgen::X509CrlPtr intermediate_crl() {
        return certgen::build_crl(pki->cas().intermediate(), pki->revocations().entries_for("intermediate"));
    }
    // The setup a profile's documentation names: CRL checking, security level, CN fallback off.
    test::VerifySetup documented_setup(const certgen::CertProfile& p, X509_CRL* crl) {
        test::VerifySetup setup;
        setup.host = p.verify_as_client ? "" : host;
        setup.as_client = p.verify_as_client;
        setup.security_level = p.verify_security_level ? p.verify_security_level : -1;
        setup.never_check_subject = p.verify_never_check_subject;
        if (p.verify_needs_crl) {
            setup.crl_check = true;
            if (p.revoked) setup.crls.push_back(crl);
        }
        return setup;
    }
};

}  // namespace

TEST_CASE("catalogue: every profile has an intended verification result") {
    for (const auto& p : certgen::builtin_profiles()) {
        INFO("profile " << p.name);
        REQUIRE(intended.count(p.name) == 1);
        CHECK(p.expected_verify_error == intended.at(p.name));  // what index.md tells users
        CHECK_FALSE(p.summary.empty());
        CHECK_FALSE(p.correct_client.empty());
    }
    CHECK(certgen::builtin_profiles().size() == intended.size());
}

TEST_CASE("catalogue: OpenSSL's X509_verify_cert gives each profile's intended error") {
    Lab lab;
    for (const auto& p : certgen::builtin_profiles()) {
        auto cert = lab.mint(p.name);
        auto crl = lab.intermediate_crl();
        int got = test::verify_first_error(*cert, lab.pki->cas(), lab.documented_setup(p, crl.get()));
        INFO("profile " << p.name << ": got " << test::describe_verify_error(got) << ", intended "
                        << test::describe_verify_error(intended.at(p.name)));
        CHECK(got == intended.at(p.name));
    }
}

TEST_CASE("catalogue: conditional failures pass without their condition") {
    // Each of these fails only under a documented condition; without it OpenSSL accepts, which
    // is what makes them lessons (a client that skips the check never notices).
    Lab lab;
    auto crl = lab.intermediate_crl();
    for (const char* name : {"revoked", "crl-unreachable", "sha1-signature", "rsa-1024", "no-san"}) {
        auto cert = lab.mint(name);
        test::VerifySetup lax;
        lax.host = host;
        INFO("profile " << name);
        CHECK(test::verify_first_error(*cert, lab.pki->cas(), lax) == X509_V_OK);
    }
    SUBCASE("sha1 passes at level 0 and fails at 1") {
        auto cert = lab.mint("sha1-signature");
        test::VerifySetup s{.host = host, .security_level = 0};
        CHECK(test::verify_first_error(*cert, lab.pki->cas(), s) == X509_V_OK);
        s.security_level = 1;
        CHECK(test::verify_first_error(*cert, lab.pki->cas(), s) == X509_V_ERR_CA_MD_TOO_WEAK);
    }
    SUBCASE("rsa-1024 passes at level 1 and fails at 2") {
        auto cert = lab.mint("rsa-1024");
        test::VerifySetup s{.host = host, .security_level = 1};
        CHECK(test::verify_first_error(*cert, lab.pki->cas(), s) == X509_V_OK);
        s.security_level = 2;
        CHECK(test::verify_first_error(*cert, lab.pki->cas(), s) == X509_V_ERR_EE_KEY_TOO_SMALL);
    }
}

TEST_CASE("catalogue: a stale CRL is refused even for a good certificate") {
    Lab lab;
    auto cert = lab.mint("good");
    certgen::CrlOptions stale;
    stale.stale = true;
    auto crl = certgen::build_crl(lab.pki->cas().intermediate(), {}, stale);
    test::VerifySetup s{.host = host, .crls = {crl.get()}};
    CHECK(test::verify_first_error(*cert, lab.pki->cas(), s) == X509_V_ERR_CRL_HAS_EXPIRED);
}

TEST_CASE("catalogue: cmg-secure-failure shows all three WinHTTP flags at once") {
    Lab lab;
    auto cert = lab.mint("cmg-secure-failure");
    test::VerifySetup s{.host = "CMG.CONTOSO.COM", .crl_check = true};
    auto errors = test::verify_all_errors(*cert, lab.pki->cas(), s);
    auto has = [&](int e) { return std::find(errors.begin(), errors.end(), e) != errors.end(); };
    CHECK(has(X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN));  // INVALID_CA
    CHECK(has(X509_V_ERR_HOSTNAME_MISMATCH));          // CERT_CN_INVALID
    CHECK(has(X509_V_ERR_UNABLE_TO_GET_CRL));          // CERT_REV_FAILED
}

TEST_CASE("catalogue: the client certificate is for clients only") {
    Lab lab;
    auto cert = lab.mint("client");
    CHECK(test::verify_first_error(*cert, lab.pki->cas(), {.as_client = true}) == X509_V_OK);
    CHECK(test::verify_first_error(*cert, lab.pki->cas(), {}) == X509_V_ERR_INVALID_PURPOSE);
}

TEST_CASE("catalogue: unknown names get a did-you-mean") {
    CHECK(certgen::find_profile("expired") != nullptr);
    CHECK(certgen::find_profile("expird") == nullptr);
    CHECK(certgen::closest_profile_name("expird") == "expired");
    CHECK(certgen::closest_profile_name("selfsigned") == "self-signed");
    CHECK(certgen::closest_profile_name("zzzzzzzzzzzz").empty());
}
