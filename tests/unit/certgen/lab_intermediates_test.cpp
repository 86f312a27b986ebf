// The lab intermediates' CDP and OCSP URL: re-issued (same key, new serial) when the revocation
// URL changes, one stand-in per status, and leaves of a status chained to their own stand-in.
#include "certgen/catalogue.hpp"
#include "certgen/lab_pki.hpp"
#include "certgen/pem_io.hpp"

#include <doctest/doctest.h>

#include <openssl/x509v3.h>

using namespace tlsfault;
using certgen::IntermediateStatus;

namespace {

std::string first_cdp(const X509* cert) {
    auto* points = static_cast<CRL_DIST_POINTS*>(X509_get_ext_d2i(cert, NID_crl_distribution_points, nullptr, nullptr));
    std::string url;
    if (points && sk_DIST_POINT_num(points) > 0) {
        DIST_POINT* point = sk_DIST_POINT_value(points, 0);
        GENERAL_NAME* name = point->distpoint ? sk_GENERAL_NAME_value(point->distpoint->name.fullname, 0) : nullptr;
        if (name && name->type == GEN_URI) url = reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.uniformResourceIdentifier));
    }
    CRL_DIST_POINTS_free(points);
    return url;
}

std::string first_ocsp(const X509* cert) {
    STACK_OF(OPENSSL_STRING)* urls = X509_get1_ocsp(const_cast<X509*>(cert));
    std::string url = urls && sk_OPENSSL_STRING_num(urls) > 0 ? sk_OPENSSL_STRING_value(urls, 0) : "";
    X509_email_free(urls);
    return url;
}

}  // namespace

TEST_CASE("lab intermediates: they name the root's CRL and OCSP under the current revocation URL, with the same key") {
    auto pki = certgen::LabPki::in_memory({.revocation_url = "http://127.0.0.1:8099"});
    const X509* before = pki->cas().intermediate().cert.get();
    CHECK(first_cdp(before) == "http://127.0.0.1:8099/crl/root.crl");
    CHECK(first_ocsp(before) == "http://127.0.0.1:8099/ocsp/root");
    const std::string serial_before = certgen::serial_hex(before);
    auto leaf = pki->minter().mint(*certgen::find_profile("good"), "a.test");

    pki->set_mint_options({.revocation_url = "http://127.0.0.1:41234"});
    X509* after = pki->cas().intermediate().cert.get();
    CHECK(first_cdp(after) == "http://127.0.0.1:41234/crl/root.crl");
    CHECK(certgen::serial_hex(after) != serial_before);
    CHECK(X509_verify(leaf->leaf.get(), X509_get0_pubkey(after)) == 1);  // same key: older leaves still chain
    CHECK(X509_check_issued(pki->cas().root().cert.get(), after) == X509_V_OK);

    const X509* unreachable = pki->cas().intermediate(IntermediateStatus::unreachable).cert.get();
    CHECK(first_cdp(unreachable) == "http://127.0.0.1:9/crl/root.crl");
    CHECK(first_ocsp(unreachable) == "http://127.0.0.1:9/ocsp/root");
    // Re-issuing moved the revoked stand-in's entry on the root's CRL to its new serial.
    auto root_entries = pki->revocations().entries_for("root");
    REQUIRE(root_entries.size() == 1);
    CHECK(root_entries[0].serial_hex == certgen::serial_hex(pki->cas().intermediate(IntermediateStatus::revoked).cert.get()));
    CHECK(root_entries[0].reason == 2);  // cACompromise
}

TEST_CASE("lab intermediates: a profile's intermediate_status picks its stand-in, which is what the chain carries") {
    auto pki = certgen::LabPki::in_memory();
    certgen::CertProfile profile = *certgen::find_profile("good");
    profile.intermediate_status = IntermediateStatus::revoked;
    auto leaf = pki->minter().mint(profile, "a.test");
    const auto& stand_in = pki->cas().intermediate(IntermediateStatus::revoked);
    CHECK(leaf->issuer == "intermediate-revoked");
    REQUIRE(leaf->chain.size() == 1);
    CHECK(X509_cmp(leaf->chain[0].get(), stand_in.cert.get()) == 0);
    CHECK(X509_verify(leaf->leaf.get(), X509_get0_pubkey(stand_in.cert.get())) == 1);
    CHECK(certgen::subject_line(stand_in.cert.get()).find("(revoked)") != std::string::npos);
    CHECK(first_cdp(leaf->leaf.get()).ends_with("/crl/intermediate-revoked.crl"));
}
