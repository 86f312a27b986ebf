// Field case 1, second cause: the Umbrella connector's revocation fetches (plain HTTP to
// crl3/crl4.digicert.com and ocsp.digicert.com) go through the explicit proxy, where the
// scenario's rule blackholes or refuses them. Each check asserts what the client says (exit
// code and error text) and what tlsfault recorded (the fault, the verdict, the expectation).
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <future>

using namespace tlsfault::test;

namespace {

const std::string crl_url = "http://crl3.digicert.com/DigiCertGlobalG2TLSRSASHA2562020CA1-1.crl";

std::string proxy_of(const RunningEngine& engine) { return "127.0.0.1:" + std::to_string(engine.proxy_port()); }

/// curl through the explicit proxy with curl's own 2 s limit (the client's revocation timeout).
ProcessResult curl_via_proxy(const RunningEngine& engine, std::vector<std::string> args) {
    std::vector<std::string> argv = {"curl", "-sS", "--proxy", "http://" + proxy_of(engine), "-m", "2"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, std::chrono::seconds(10));
}

/// openssl ocsp for the API's certificate, sent to `url` through the explicit proxy.
ProcessResult ocsp_via_proxy(const RunningEngine& engine, const ServedChain& chain, const std::string& url) {
    return run_process({"openssl", "ocsp", "-issuer", chain.issuer, "-cert", chain.leaf, "-url", url, "-proxy", proxy_of(engine),
                        "-timeout", "2", "-CAfile", engine.root_pem()},
                       std::chrono::seconds(10));
}

/// The newest event `name` of the connection `conn`.
std::string event_of(const RunningEngine& engine, const std::string& name, const std::string& conn) {
    return engine.wait_for_event(name, "\"conn\":" + conn + ",");
}

/// Waits for the verdict of a connection to `host` whose phase is `phase`.
std::string verdict_in_phase(const RunningEngine& engine, const std::string& host, const std::string& phase) {
    for (int count = 1; count < 20; ++count)
        for (const auto& line : engine.wait_for_verdicts(count))
            if (json_field(line, "host") == host && json_field(line, "phase") == phase) return line;
    return {};
}

}  // namespace

TEST_CASE("umbrella-revocation-blackhole: the CRL the API's certificate names hangs until curl gives up, and tlsfault keeps serving") {
    RunningEngine engine({"umbrella-revocation-blackhole"});
    // The CDP of the certificate tlsfault shows for api.opendns.com is the URL that is blackholed.
    const std::string cdp = certificate_url(fetch_served_chain(engine, "api.opendns.com").leaf, "crlDistributionPoints");
    CHECK(cdp == crl_url);

    auto hung = std::async(std::launch::async, [&] { return curl_via_proxy(engine, {"-o", "/dev/null", cdp}); });
    const std::string fault = engine.wait_for_event("fault", "\"type\":\"blackhole\"");
    REQUIRE_MESSAGE(!fault.empty(), engine.console());
    const std::string conn = json_field(fault, "conn");
    // While that fetch hangs, another client is served at once.
    auto other = curl({"-o", "/dev/null", "-w", "%{http_code}", "--proxy", "http://" + proxy_of(engine), "--cacert", engine.root_pem(),
                       "https://good.tlsfault.test/"});
    CHECK_MESSAGE(other.out == "200", other.all());
    CHECK(engine.wait_for_event("verdict", "\"conn\":" + conn + ",", std::chrono::milliseconds(0)).empty());  // still held

    auto fetch = hung.get();
    CHECK(fetch.exit_code == 28);  // CURLE_OPERATION_TIMEDOUT: the client's own timeout ended it
    CHECK_MESSAGE(fetch.err.find("Operation timed out after 2") != std::string::npos, fetch.err);
    const std::string verdict = event_of(engine, "verdict", conn);
    CHECK(json_field(verdict, "host") == "crl3.digicert.com");
    CHECK(json_field(verdict, "outcome") == "timeout");
    CHECK(json_field(verdict, "phase") == "proxy_request");
    CHECK(json_field(event_of(engine, "rule", conn), "rule") == "revocation endpoints blackholed");
    CHECK(json_field(event_of(engine, "expectation", conn), "result") == "pass");
    // And right after, the engine still answers.
    auto after = curl({"-o", "/dev/null", "-w", "%{http_code}", "--proxy", "http://" + proxy_of(engine), "--cacert", engine.root_pem(),
                       "https://good.tlsfault.test/"});
    CHECK_MESSAGE(after.out == "200", after.all());
}

TEST_CASE("umbrella-revocation-blackhole: openssl ocsp through the proxy times out, and CONNECT to the responder is blackholed too") {
    RunningEngine engine({"umbrella-revocation-blackhole"});
    const ServedChain chain = fetch_served_chain(engine, "api.opendns.com");
    const std::string ocsp_url = certificate_url(chain.leaf, "authorityInfoAccess");
    CHECK(ocsp_url == "http://ocsp.digicert.com");
    auto ocsp = ocsp_via_proxy(engine, chain, ocsp_url);
    CHECK(ocsp.exit_code == 1);
    CHECK_MESSAGE(ocsp.err.find("Error querying OCSP responder") != std::string::npos, ocsp.all());
    CHECK(ocsp.err.find("transfer timeout") != std::string::npos);
    const std::string verdict = engine.verdict_for("ocsp.digicert.com");
    CHECK(json_field(verdict, "outcome") == "timeout");
    CHECK(json_field(verdict, "phase") == "proxy_request");
    CHECK(json_field(event_of(engine, "fault", json_field(verdict, "conn")), "type") == "blackhole");

    // OCSP over https (443/TCP) reaches the same rule through CONNECT: the tunnel opens, the
    // ClientHello goes unanswered.
    auto tls = curl_via_proxy(engine, {"--cacert", engine.root_pem(), "https://ocsp.digicert.com/"});
    CHECK(tls.exit_code == 28);
    CHECK(json_field(verdict_in_phase(engine, "ocsp.digicert.com", "handshake"), "outcome") == "timeout");
}

TEST_CASE("umbrella-revocation-closed-port: CRL and OCSP fetches through the proxy are reset at once, like a closed port") {
    RunningEngine engine({"umbrella-revocation-closed-port"});
    const ServedChain chain = fetch_served_chain(engine, "api.opendns.com");
    const std::string cdp = certificate_url(chain.leaf, "crlDistributionPoints");
    CHECK(cdp == crl_url);
    auto fetch = curl_via_proxy(engine, {"-o", "/dev/null", cdp});
    CHECK(fetch.exit_code == 56);  // CURLE_RECV_ERROR
    CHECK_MESSAGE(fetch.err.find("Recv failure: Connection reset by peer") != std::string::npos, fetch.err);
    const std::string verdict = engine.verdict_for("crl3.digicert.com");
    CHECK(json_field(verdict, "outcome") == "reset");
    CHECK(json_field(verdict, "phase") == "proxy_request");
    const std::string conn = json_field(verdict, "conn");
    CHECK(json_field(event_of(engine, "fault", conn), "type") == "reset");
    CHECK(json_field(event_of(engine, "expectation", conn), "result") == "pass");

    auto ocsp = ocsp_via_proxy(engine, chain, certificate_url(chain.leaf, "authorityInfoAccess"));
    CHECK(ocsp.exit_code == 1);
    CHECK_MESSAGE(ocsp.err.find("Error querying OCSP responder") != std::string::npos, ocsp.all());
    // The reset follows the request header: it meets openssl still writing its POST body, or
    // already waiting for the answer.
    const bool cut = ocsp.err.find("OSSL_HTTP_REQ_CTX_exchange:error sending") != std::string::npos ||
                     ocsp.err.find("OSSL_HTTP_REQ_CTX_exchange:error receiving") != std::string::npos;
    CHECK_MESSAGE(cut, ocsp.err);
    CHECK(json_field(verdict_in_phase(engine, "ocsp.digicert.com", "proxy_request"), "outcome") == "reset");

    // Through CONNECT (OCSP over 443/TCP) the same rule resets the tunnel at the ClientHello.
    auto tls = curl_via_proxy(engine, {"--cacert", engine.root_pem(), "https://ocsp.digicert.com/"});
    CHECK(tls.exit_code == 35);
    CHECK_MESSAGE(tls.err.find("Connection reset by peer") != std::string::npos, tls.err);
    CHECK(json_field(verdict_in_phase(engine, "ocsp.digicert.com", "handshake"), "outcome") == "reset");
}

TEST_CASE("plain-HTTP proxy: an http rule answers a CRL fetch as Squid reports a closed port, behind a latency fault") {
    TempDir scenario_dir;
    const std::string file = scenario_dir / "squid-closed-port.yaml";
    std::ofstream(file) << R"(name: squid-closed-port
title: "CRL server refused, as Squid reports it"
description: {symptom: "503 from the proxy", cause: "the CRL server's port is closed", fix: "open it"}
rules:
  - name: slow path
    match: {host: crl3.digicert.com}
    tcp: [{type: latency, latency: 300ms}]
    expect: {accept: true, status: 503}
  - name: squid answer
    match: {host: crl3.digicert.com, listener: proxy, method: GET, path: "*.crl"}
    http:
      status: 503
      reason: Service Unavailable
      headers: {X-Squid-Error: "ERR_CONNECT_FAIL 111"}
      body: "(111) Connection refused\n"
)";
    RunningEngine engine({file});
    const auto start = std::chrono::steady_clock::now();
    auto fetch = curl_via_proxy(engine, {"-i", crl_url});
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(fetch.exit_code == 0);
    CHECK_MESSAGE(fetch.out.find("HTTP/1.1 503 Service Unavailable\r\n") == 0, fetch.all());
    CHECK(fetch.out.find("X-Squid-Error: ERR_CONNECT_FAIL 111\r\n") != std::string::npos);
    CHECK(fetch.out.find("(111) Connection refused") != std::string::npos);
    CHECK(took >= std::chrono::milliseconds(300));  // the latency fault held the answer back
    const std::string verdict = engine.verdict_for("crl3.digicert.com");
    CHECK(json_field(verdict, "outcome") == "plain_http");
    const std::string conn = json_field(verdict, "conn");
    CHECK(json_field(event_of(engine, "fault", conn), "type") == "latency");
    CHECK(json_field(event_of(engine, "response", conn), "source") == "scenario");
    CHECK(json_field(event_of(engine, "expectation", conn), "result") == "pass");
}
