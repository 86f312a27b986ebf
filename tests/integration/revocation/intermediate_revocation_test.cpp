// The lab intermediate's own revocation pointers and the staples `--staple truthful` sends,
// with OpenSSL's clients: openssl verify -crl_check_all with the CRLs the chain's CDPs name,
// and openssl s_client -status. Each case asserts what the client printed and what tlsfault
// recorded.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::test;

namespace {

ProcessResult s_client_status(const RunningEngine& engine, const std::string& host) {
    return run_process({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(engine.sni_port()), "-servername", host, "-CAfile",
                        engine.root_pem(), "-status"},
                       std::chrono::seconds(20), "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
}

/// Downloads the CRL at `url` (DER) into `dir` as PEM; returns the PEM file.
std::string fetch_crl(const RunningEngine& engine, const std::string& url, const std::string& name) {
    const std::string der = engine.dir() / (name + ".crl"), pem = engine.dir() / (name + ".crl.pem");
    auto fetched = curl({"-sS", "-o", der, "-w", "%{http_code}", url});
    REQUIRE_MESSAGE(fetched.out == "200", url << ": " << fetched.all());
    REQUIRE(run_process({"openssl", "crl", "-inform", "DER", "-in", der, "-out", pem}).exit_code == 0);
    return pem;
}

/// openssl verify -crl_check_all of `host`'s served chain, with the CRLs its two CDPs name.
ProcessResult verify_with_served_crls(const RunningEngine& engine, const std::string& host) {
    auto chain = fetch_served_chain(engine, host);
    const std::string root_cdp = certificate_url(chain.issuer, "crlDistributionPoints");
    const std::string base = "http://127.0.0.1:" + std::to_string(engine.revocation_port());
    CHECK_MESSAGE(root_cdp == base + "/crl/root.crl", root_cdp);                         // the intermediate names the root's CRL ...
    CHECK(certificate_url(chain.issuer, "authorityInfoAccess") == base + "/ocsp/root");  // ... and OCSP
    const std::string root_crl = fetch_crl(engine, root_cdp, "root");
    const std::string leaf_crl = fetch_crl(engine, certificate_url(chain.leaf, "crlDistributionPoints"), "leaf-issuer");
    return run_process({"openssl", "verify", "-crl_check_all", "-CAfile", engine.root_pem(), "-untrusted", chain.issuer, "-CRLfile",
                        root_crl, "-CRLfile", leaf_crl, chain.leaf});
}

}  // namespace

TEST_CASE("intermediate CDP: openssl verify -crl_check_all with the served CRLs accepts the lab chain, refuses a revoked intermediate") {
    TempDir dir;
    const std::string file = write_scenario(dir, "revoked-ca",
                                            "  - match: {host: revoked-ca.tlsfault.test}\n"
                                            "    chain: {intermediate_status: revoked}\n");
    RunningEngine engine({file});
    auto good = verify_with_served_crls(engine, "good.tlsfault.test");
    CHECK_MESSAGE(good.exit_code == 0, good.all());
    CHECK(good.out.find(": OK") != std::string::npos);
    CHECK(json_field(engine.wait_for_event("revocation", "/crl/root.crl"), "answered") == "crl 1 entry");

    auto revoked = verify_with_served_crls(engine, "revoked-ca.tlsfault.test");
    CHECK(revoked.exit_code != 0);
    CHECK_MESSAGE(revoked.all().find("error 23 at 1 depth lookup: certificate revoked") != std::string::npos, revoked.all());
    CHECK(engine.wait_for_event("certificate", "revoked-ca.tlsfault.test").find("(revoked)") != std::string::npos);
    CHECK(!engine.wait_for_event("revocation", "/crl/intermediate-revoked.crl").empty());
}

TEST_CASE("staples: --staple truthful staples what the certificate's own responder says, and nothing when it cannot answer") {
    RunningEngine engine({"cert-crl-unreachable", "umbrella-revocation-closed-port", "ocsp-unknown", "ocsp-trylater"});
    struct Case {
        std::string host, printed, mode, none_reason;
    };
    const std::vector<Case> cases = {
        {"good.tlsfault.test", "Cert Status: good", "truthful", ""},
        {"ocsp-unknown.tlsfault.test", "Cert Status: unknown", "unknown", ""},  // what its /unknown/ocsp responder says
        {"crl-unreachable.tlsfault.test", "OCSP response: no response sent", "truthful", "http://127.0.0.1:9/ocsp/intermediate"},
        {"api.opendns.com", "OCSP response: no response sent", "truthful", "http://ocsp.digicert.com"},
        {"ocsp-trylater.tlsfault.test", "OCSP response: no response sent", "truthful", "answers try-later"},
    };
    for (const auto& c : cases) {
        auto r = s_client_status(engine, c.host);
        INFO(c.host << ": " << r.all());
        CHECK(r.out.find(c.printed) != std::string::npos);
        const std::string conn = json_field(engine.verdict_for(c.host), "conn");
        const std::string staple = engine.wait_for_event("staple", "\"conn\":" + conn + ",");
        CHECK(json_field(staple, "mode") == c.mode);
        if (c.none_reason.empty())
            CHECK(!json_field(staple, "bytes").empty());
        else
            CHECK_MESSAGE(json_field(staple, "none").find(c.none_reason) != std::string::npos, staple);
    }
}

TEST_CASE("staples: a rule that asks for a staple explicitly gets it, even when the responder is unreachable") {
    TempDir dir;
    const std::string file = write_scenario(dir, "stapled-anyway",
                                            "  - match: {host: stapled.tlsfault.test}\n"
                                            "    certificate: crl-unreachable\n"
                                            "    tls: {staple: good}\n");
    RunningEngine engine({file});
    auto r = s_client_status(engine, "stapled.tlsfault.test");
    CHECK_MESSAGE(r.out.find("Cert Status: good") != std::string::npos, r.all());
    CHECK(json_field(engine.wait_for_event("staple"), "mode") == "good");
}
