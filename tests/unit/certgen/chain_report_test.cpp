// `tlsfault inspect`'s report: each fault it names, with the profile and mutation to reproduce it.
#include "tests/unit/certgen/customer_chain_fixture.hpp"

#include "certgen/lab_pki.hpp"
#include "certgen/mirror/chain_report.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <ctime>

using namespace tlsfault;

namespace {

std::vector<std::string> mutations_seen(std::span<const certgen::X509Ptr> chain, std::optional<std::string> host = std::nullopt) {
    std::vector<std::string> out;
    for (const auto& f : certgen::faults_seen(chain, host, std::time(nullptr))) out.push_back(f.mutate);
    return out;
}

bool has(const std::vector<std::string>& list, const std::string& item) { return std::find(list.begin(), list.end(), item) != list.end(); }

std::vector<certgen::X509Ptr> served(const certgen::MirroredChain& m) {
    std::vector<certgen::X509Ptr> out;
    out.push_back(certgen::share(m.served->leaf.get()));
    for (const auto& c : m.served->chain) out.push_back(certgen::share(c.get()));
    return out;
}

}  // namespace

TEST_CASE("inspect report: a good chain has no faults, the report shows names, SANs, URLs and usages") {
    auto c = test::make_customer_chain();
    CHECK(mutations_seen(c.certs, "www.contoso.test").empty());
    const std::string report = certgen::chain_report(c.certs, std::string("www.contoso.test"), std::time(nullptr));
    for (const char* expected :
         {"[0] leaf", "[3] root", "subject:      CN=www.contoso.test", "DNS:api.contoso.test", "IP:192.0.2.10", "key:          RSA 2048",
          "EC P-384", "ecdsa-with-SHA384", "URI:http://crl.contoso.test/issuing2.crl", "URI:http://ocsp.contoso.test/issuing2",
          "serverAuth, clientAuth", "CA:TRUE, pathlen:0", "faults seen: none"})
        CHECK_MESSAGE(report.find(expected) != std::string::npos, expected);
}

TEST_CASE("inspect report: each fault names the profile and the mutation that reproduce it") {
    auto c = test::make_customer_chain();
    auto pki = certgen::LabPki::in_memory();
    auto mirrored = [&](auto set) {
        certgen::MirrorRequest r;
        for (const auto& cert : c.certs) r.source.push_back(certgen::share(cert.get()));
        r.origin = "customer.pem";
        set(r.mutate);
        return served(pki->mirror(r));
    };
    CHECK(has(mutations_seen(mirrored([](auto& m) { m.expired = true; })), "expired"));
    CHECK(has(mutations_seen(mirrored([](auto& m) { m.not_yet_valid = true; })), "not_yet_valid"));
    CHECK(has(mutations_seen(mirrored([](auto& m) { m.self_signed = true; })), "self_signed"));
    CHECK(has(mutations_seen(mirrored([](auto& m) { m.drop_intermediate = true; })), "drop_intermediate"));
    CHECK(has(mutations_seen(mirrored([](auto& m) { m.sha1 = true; })), "sha1"));
    CHECK(has(mutations_seen(mirrored([](auto& m) { m.rsa_1024 = true; })), "rsa_1024"));
    CHECK(has(mutations_seen(mirrored([](auto& m) { m.remove_san = true; })), "remove_san"));
    CHECK(has(mutations_seen(mirrored([](auto& m) { m.eku = std::vector<std::string>{"clientAuth"}; })), "eku=clientAuth"));
    CHECK(has(mutations_seen(c.certs, "mail.fabrikam.test"), "wrong_host=mail.fabrikam.test"));
    const auto good = mirrored([](auto&) {});
    CHECK(mutations_seen(good, "www.contoso.test").empty());
    const std::string report = certgen::chain_report(mirrored([](auto& m) { m.expired = true; }), std::nullopt, std::time(nullptr));
    CHECK(report.find("[EXPIRED]") != std::string::npos);
    CHECK(report.find("reproduce: profile expired, or --mutate expired") != std::string::npos);
}
