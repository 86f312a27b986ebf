// Revocation paths: resource, CA and failure mode from the path alone.
#include "proxy/revocation/revocation_request.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::proxy;

TEST_CASE("revocation paths: truthful resources") {
    auto crl = parse_revocation_target("/crl/intermediate.crl");
    REQUIRE(crl);
    CHECK(crl->mode == RevocationMode::truthful);
    CHECK(crl->resource == RevocationResource::crl_der);
    CHECK(crl->ca == "intermediate");
    auto pem = parse_revocation_target("/crl/root.crl.pem?x=1");
    REQUIRE(pem);
    CHECK(pem->resource == RevocationResource::crl_pem);
    CHECK(pem->ca == "root");
    auto ca = parse_revocation_target("/ca/intermediate.der");
    REQUIRE(ca);
    CHECK(ca->resource == RevocationResource::ca_der);
    auto ocsp = parse_revocation_target("/ocsp/rogue-root");
    REQUIRE(ocsp);
    CHECK(ocsp->resource == RevocationResource::ocsp);
    CHECK(ocsp->ca == "rogue-root");
    CHECK(ocsp->ocsp_get_payload.empty());
}

TEST_CASE("revocation paths: mode prefixes") {
    auto blackhole = parse_revocation_target("/blackhole/crl/intermediate.crl");
    REQUIRE(blackhole);
    CHECK(blackhole->mode == RevocationMode::blackhole);
    auto slow = parse_revocation_target("/slow-7s/ocsp/intermediate");
    REQUIRE(slow);
    CHECK(slow->mode == RevocationMode::slow);
    CHECK(slow->delay == std::chrono::seconds(7));
    auto later = parse_revocation_target("/try-later/ocsp/intermediate");
    REQUIRE(later);
    CHECK(later->mode == RevocationMode::try_later);
    CHECK(revocation_path_prefix(RevocationMode::slow, std::chrono::seconds(3)) == "slow-3s");
    CHECK(revocation_path_prefix(RevocationMode::wrong_key) == "wrong-key");
    CHECK(revocation_path_prefix(RevocationMode::truthful).empty());
}

TEST_CASE("revocation paths: what is not one") {
    for (const char* target : {"", "/", "/index.html", "/crl/", "/crl/intermediate", "/frobnicate/crl/root.crl", "/crl/a/b.crl",
                               "/slow-xs/crl/root.crl", "/ca/root", "relative/crl/root.crl"}) {
        INFO("target '" << target << "'");
        CHECK_FALSE(parse_revocation_target(target));
    }
}

TEST_CASE("revocation paths: OCSP GET payloads are URL-decoded base64") {
    // "MAMCAQA=" is the DER 30 03 02 01 00; %2B and %2F stand for + and /.
    auto der = decode_ocsp_get_payload("MAMCAQA%3D");
    REQUIRE(der);
    CHECK(*der == std::string("\x30\x03\x02\x01\x00", 5));
    CHECK(decode_ocsp_get_payload("%2B%2F%2B%2F") == std::string("\xfb\xff\xbf", 3));
    CHECK_FALSE(decode_ocsp_get_payload("abc"));
    CHECK_FALSE(decode_ocsp_get_payload("%zz=="));
    CHECK_FALSE(decode_ocsp_get_payload("ab%2"));
    auto get = parse_revocation_target("/ocsp/intermediate/MAMCAQA%3D");
    REQUIRE(get);
    CHECK(get->ocsp_get_payload.size() == 5);
}
