// Revocation through `tlsfault run`: real clients check lab certificates against the engine's
// own CRL/OCSP listener and staples, and one connection's events read ClientHello ->
// certificate -> CRL/OCSP fetched -> alert.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace tlsfault::test;

namespace {

ProcessResult s_client(const RunningEngine& engine, const std::string& host, std::vector<std::string> extra) {
    std::vector<std::string> argv = {"openssl",     "s_client", "-connect", "127.0.0.1:" + std::to_string(engine.sni_port()),
                                     "-servername", host,       "-CAfile",  engine.root_pem()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_process(argv, std::chrono::seconds(20), "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
}

std::string url(const RunningEngine& engine, const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(engine.revocation_port()) + path;
}

}  // namespace

TEST_CASE("revocation via run: s_client -crl_check with the listener's CRL rejects revoked, and the fetch is in its timeline") {
    RunningEngine engine;
    REQUIRE(engine.revocation_port() > 0);
    // A first look at the certificate (as a client does before it fetches the CRL).
    auto first = s_client(engine, "revoked.tlsfault.test", {});
    CHECK(first.out.find("Verify return code: 0 (ok)") != std::string::npos);
    const std::string certificate = engine.wait_for_event("certificate", "\"profile\":\"revoked\"");
    const std::string conn = json_field(certificate, "conn");
    // The CRL the certificate's CDP names is served by tlsfault itself.
    auto fetched = curl({"-sS", "-o", engine.dir() / "crl.pem", "-w", "%{http_code}", url(engine, "/crl/intermediate.crl.pem")});
    REQUIRE(fetched.out == "200");
    const std::string fetch = engine.wait_for_event("revocation", "/crl/intermediate.crl.pem");
    CHECK(json_field(fetch, "conn") == conn);
    CHECK(json_field(fetch, "answered") == "crl 1 entry");
    auto checked = s_client(engine, "revoked.tlsfault.test", {"-crl_check", "-CRL", engine.dir() / "crl.pem", "-verify_return_error"});
    CHECK(checked.all().find("verify error:num=23:certificate revoked") != std::string::npos);
    const std::string verdict = engine.wait_for_event("verdict", "certificate_revoked");
    CHECK(json_field(verdict, "outcome") == "alert");
    CHECK(json_field(verdict, "phase") == "handshake");
}

TEST_CASE("revocation via run: the certificates point at the listener's real address") {
    RunningEngine engine;
    auto shown = s_client(engine, "good.tlsfault.test", {"-showcerts"});
    std::ofstream(engine.dir() / "leaf.pem") << shown.out.substr(shown.out.find("-----BEGIN CERTIFICATE-----"));
    auto text =
        run_process({"openssl", "x509", "-in", engine.dir() / "leaf.pem", "-noout", "-ext", "crlDistributionPoints,authorityInfoAccess"});
    const std::string base = "http://127.0.0.1:" + std::to_string(engine.revocation_port());
    CHECK_MESSAGE(text.out.find("URI:" + base + "/crl/intermediate.crl") != std::string::npos, text.all());
    CHECK(text.out.find("OCSP - URI:" + base + "/ocsp/intermediate") != std::string::npos);
    // And openssl ocsp, given that URL, gets a signed "good" for the leaf.
    std::ofstream(engine.dir() / "issuer.pem") << run_process({"curl", "-sS", url(engine, "/ca/intermediate.pem")}).out;
    auto ocsp = run_process({"openssl", "ocsp", "-url", base + "/ocsp/intermediate", "-issuer", engine.dir() / "issuer.pem", "-cert",
                             engine.dir() / "leaf.pem", "-CAfile", engine.root_pem(), "-timeout", "5"});
    CHECK_MESSAGE(ocsp.out.find("leaf.pem: good") != std::string::npos, ocsp.all());
    CHECK(engine.wait_for_event("revocation", "\"answered\":\"good\"").find("\"resource\":\"ocsp\"") != std::string::npos);
}

TEST_CASE("stapling via run: s_client -status sees the staple each --staple mode asks for") {
    const std::vector<std::pair<std::string, std::string>> modes = {
        {"truthful", "Cert Status: good"},           {"revoked", "Cert Status: revoked"}, {"unknown", "Cert Status: unknown"},
        {"none", "OCSP response: no response sent"}, {"garbage", "OCSP response: "},  // bytes that do not parse: openssl prints an error
    };
    for (const auto& [mode, expected] : modes) {
        RunningEngine engine({"--staple", mode});
        auto r = s_client(engine, "good.tlsfault.test", {"-status"});
        INFO("--staple " << mode << ": " << r.all());
        CHECK(r.out.find(expected) != std::string::npos);
        if (mode != "none") CHECK(engine.wait_for_event("staple").find("\"mode\":\"" + mode + "\"") != std::string::npos);
    }
}

TEST_CASE("stapling via run: curl --cert-status accepts a good staple and refuses a revoked one") {
    RunningEngine good_engine;
    auto ok = curl({"-sS", "--cert-status", "--cacert", good_engine.root_pem(), "--connect-to",
                    "good.tlsfault.test:443:127.0.0.1:" + std::to_string(good_engine.sni_port()), "https://good.tlsfault.test/"});
    CHECK_MESSAGE(ok.exit_code == 0, ok.all());
    RunningEngine revoked_engine({"--staple", "revoked"});
    auto refused = curl({"-sS", "--cert-status", "--cacert", revoked_engine.root_pem(), "--connect-to",
                         "good.tlsfault.test:443:127.0.0.1:" + std::to_string(revoked_engine.sni_port()), "https://good.tlsfault.test/"});
    CHECK(refused.exit_code == 91);  // CURLE_SSL_INVALIDCERTSTATUS
    CHECK(refused.err.find("SSL certificate revocation reason: keyCompromise") != std::string::npos);
}

TEST_CASE("run must-staple-missing: a must-staple certificate goes without a staple while other hosts get one") {
    RunningEngine engine({"must-staple-missing"});
    auto missing = s_client(engine, "must-staple-missing.tlsfault.test", {"-status", "-showcerts"});
    CHECK_MESSAGE(missing.out.find("OCSP response: no response sent") != std::string::npos, missing.all());
    std::ofstream(engine.dir() / "leaf.pem") << missing.out.substr(missing.out.find("-----BEGIN CERTIFICATE-----"));
    auto text = run_process({"openssl", "x509", "-in", engine.dir() / "leaf.pem", "-noout", "-text"});
    CHECK(text.out.find("TLS Feature:") != std::string::npos);
    CHECK(text.out.find("status_request") != std::string::npos);
    CHECK(engine.wait_for_event("rule", "must-staple-missing").find("\"scenario\":\"must-staple-missing\"") != std::string::npos);
    // The engine's own --staple (truthful) still applies where no rule says otherwise.
    auto stapled = s_client(engine, "good.tlsfault.test", {"-status"});
    CHECK(stapled.out.find("Cert Status: good") != std::string::npos);
    CHECK(engine.wait_for_event("staple", "\"mode\":\"truthful\"").size() > 0);
}

TEST_CASE("run stale-crl: the CRL the certificate names is stale, and s_client -crl_check says so") {
    RunningEngine engine({"stale-crl"});
    auto served = fetch_served_chain(engine, "stale-crl.tlsfault.test");
    const std::string cdp = certificate_url(served.leaf, "crlDistributionPoints");
    CHECK(cdp.find("/stale/crl/intermediate.crl") != std::string::npos);
    auto fetched = curl({"-sS", "-o", engine.dir() / "stale.crl", "-w", "%{http_code}", cdp});
    REQUIRE(fetched.out == "200");
    run_process({"openssl", "crl", "-inform", "DER", "-in", engine.dir() / "stale.crl", "-out", engine.dir() / "stale.crl.pem"});
    auto checked =
        s_client(engine, "stale-crl.tlsfault.test", {"-crl_check", "-CRL", engine.dir() / "stale.crl.pem", "-verify_return_error"});
    CHECK_MESSAGE(checked.all().find("verify error:num=12:CRL has expired") != std::string::npos, checked.all());
    CHECK(engine.wait_for_event("revocation", "\"mode\":\"stale\"").find("(stale)") != std::string::npos);
    const std::string last = engine.wait_for_event("verdict", "\"outcome\":\"alert\"");
    CHECK(last.find("stale-crl.tlsfault.test") != std::string::npos);
}

TEST_CASE("run revoked-ocsp and ocsp-trylater: openssl ocsp follows the certificate's own OCSP URL") {
    RunningEngine engine({"revoked-ocsp", "ocsp-trylater"});
    auto revoked = fetch_served_chain(engine, "revoked-ocsp.tlsfault.test");
    const std::string conn = json_field(engine.wait_for_event("certificate", "revoked-ocsp.tlsfault.test"), "conn");
    CHECK(run_process({"openssl", "x509", "-in", revoked.leaf, "-noout", "-ext", "crlDistributionPoints"}).out.find("URI:") ==
          std::string::npos);  // OCSP only
    auto answer = run_process({"openssl", "ocsp", "-url", certificate_url(revoked.leaf, "authorityInfoAccess"), "-issuer", revoked.issuer,
                               "-cert", revoked.leaf, "-CAfile", engine.root_pem(), "-timeout", "5"});
    CHECK_MESSAGE(answer.out.find("leaf.pem: revoked") != std::string::npos, answer.all());
    const std::string fetch = engine.wait_for_event("revocation", "\"answered\":\"revoked\"");
    CHECK(json_field(fetch, "conn") == conn);  // linked by serial to the connection that was shown it

    auto later = fetch_served_chain(engine, "ocsp-trylater.tlsfault.test");
    const std::string ocsp_url = certificate_url(later.leaf, "authorityInfoAccess");
    CHECK(ocsp_url.find("/try-later/ocsp/intermediate") != std::string::npos);
    auto refused = run_process(
        {"openssl", "ocsp", "-url", ocsp_url, "-issuer", later.issuer, "-cert", later.leaf, "-CAfile", engine.root_pem(), "-timeout", "5"});
    CHECK_MESSAGE(refused.all().find("Responder Error: trylater (3)") != std::string::npos, refused.all());
    CHECK(!engine.wait_for_event("revocation", "\"answered\":\"tryLater\"").empty());
}

TEST_CASE("revocation through the explicit proxy: with --upstream-mode origin the lab's CRL is still served, other hosts get 502") {
    // A client that sends all its HTTP through the proxy (Chromium) fetches CRLs that way too.
    RunningEngine engine({"--upstream-mode", "origin"});
    const std::string proxy = "http://127.0.0.1:" + std::to_string(engine.proxy_port());
    auto crl = curl({"-sS", "-o", "/dev/null", "-w", "%{http_code}", "-x", proxy, url(engine, "/crl/intermediate.crl")});
    CHECK_MESSAGE(crl.out == "200", crl.all());
    const std::string fetch = engine.wait_for_event("revocation", "/crl/intermediate.crl");
    CHECK(json_field(fetch, "answered").starts_with("crl "));  // served by the revocation listener itself
    auto other = curl({"-sS", "-o", "/dev/null", "-w", "%{http_code}", "-x", proxy, "http://127.0.0.1:9/elsewhere"});
    CHECK_MESSAGE(other.out == "502", other.all());
    CHECK(json_field(engine.wait_for_event("verdict", "forwarding is off"), "outcome") == "aborted");
}
