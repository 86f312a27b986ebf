// A rule's TLS actions and its per-request answers, end to end with real clients on loopback:
// tls.alpn (Python ssl, openssl s_client -alpn, curl), client_cert failure alerts (curl --cert,
// openssl s_client -cert), and keep-alive (curl fetching several URLs on one connection). Each
// test checks what the client said AND what tlsfault recorded.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <thread>

using namespace tlsfault::test;

namespace {

/// Python's ssl offering `protocols` (comma-separated) as ALPN: prints the selected protocol
/// ("None" when none), then sends `payload` and prints the first line of the answer ("" at EOF).
ProcessResult python_alpn(const RunningEngine& e, const std::string& host, const std::string& protocols, const std::string& payload) {
    std::string script =
        "import socket, ssl, sys\n"
        "ctx = ssl.create_default_context()\n"
        "ctx.check_hostname = False\n"
        "ctx.verify_mode = ssl.CERT_NONE\n"
        "ctx.set_alpn_protocols(sys.argv[3].split(','))\n"
        "s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)\n"
        "t = ctx.wrap_socket(s, server_hostname=sys.argv[2])\n"
        "print(t.selected_alpn_protocol())\n"
        "t.sendall(sys.argv[4].encode().decode('unicode_escape').encode('latin-1'))\n"
        "try:\n"
        "    print(t.recv(200).split(b'\\r\\n')[0].decode())\n"
        "except (ssl.SSLError, OSError) as e:\n"
        "    print('error', e)\n";
    return run_process({"python3", "-c", script, std::to_string(e.sni_port()), host, protocols, payload}, std::chrono::seconds(20));
}

/// `openssl s_client` to `host` with `extra` arguments, sending one HTTP/1.1 request.
ProcessResult s_client(const RunningEngine& e, const std::string& host, std::vector<std::string> extra) {
    std::vector<std::string> argv = {"openssl",     "s_client", "-connect", "127.0.0.1:" + std::to_string(e.sni_port()),
                                     "-servername", host,       "-ign_eof"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_process(argv, std::chrono::seconds(20), "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
}

/// `tlsfault validate FILE`.
ProcessResult validate(const std::string& file) { return run_process({tlsfault_binary(), "validate", file}, std::chrono::seconds(20)); }

/// expired.{pem,key} (lab intermediate, ended 30 days ago) and untrusted.{pem,key} (self-signed)
/// client certificates in `out`, for the engine's lab CA.
void make_client_certs(const RunningEngine& e, const std::string& out) {
    auto r = run_process({"python3", SCENARIO_RUN_TEST_DIR "/make_client_certs.py", e.dir() / "state/ca", out}, std::chrono::seconds(20));
    REQUIRE_MESSAGE(r.exit_code == 0, r.all());
}

/// curl -k to https://HOST/ presenting `cert` (PEM, key beside it as .key).
ProcessResult curl_with_cert(const RunningEngine& e, const std::string& host, const std::string& cert_base) {
    return curl({"-k", "-sS", "--cert", cert_base + ".pem", "--key", cert_base + ".key", "--connect-to", connect_to(e, host),
                 "https://" + host + "/"});
}

}  // namespace

// --- tls.alpn ---

TEST_CASE("tls.alpn h2: Python offering h2 gets h2, tlsfault records the selection and closes after the client's bytes") {
    TempDir dir;
    RunningEngine engine({write_scenario(dir, "alpn-h2", "  - match: {host: h2.example.test}\n    tls: {alpn: h2}\n")});
    auto r = python_alpn(engine, "h2.example.test", "h2,http/1.1", "PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n");
    CHECK(r.exit_code == 0);
    CHECK(r.out.rfind("h2\n", 0) == 0);
    auto alpn = engine.wait_for_event("alpn");
    CHECK(json_field(alpn, "rule") == "h2");
    CHECK(json_field(alpn, "selected") == "h2");
    CHECK(alpn.find("\"offered\":[\"h2\",\"http/1.1\"]") != std::string::npos);
    auto v = engine.verdict_for("h2.example.test");
    CHECK(json_field(v, "outcome") == "accepted");
    CHECK(json_field(v, "reason").find("ALPN h2 selected by the rule") != std::string::npos);
    CHECK(json_field(engine.wait_for_event("tls"), "alpn") == "h2");
}

TEST_CASE("tls.alpn h2: a client that did not offer h2 gets no ALPN and its HTTP/1.1 request is answered") {
    TempDir dir;
    RunningEngine engine({write_scenario(dir, "alpn-h2", "  - match: {host: h2.example.test}\n    tls: {alpn: h2}\n")});
    auto r =
        python_alpn(engine, "h2.example.test", "http/1.1", "GET / HTTP/1.1\\r\\nHost: h2.example.test\\r\\nConnection: close\\r\\n\\r\\n");
    CHECK(r.exit_code == 0);
    CHECK(r.out == "None\nHTTP/1.1 200 OK\n");
    auto alpn = engine.wait_for_event("alpn");
    CHECK(json_field(alpn, "selected") == "");
    CHECK(alpn.find("\"offered\":[\"http/1.1\"]") != std::string::npos);
    CHECK(json_field(engine.verdict_for("h2.example.test"), "outcome") == "accepted");
}

TEST_CASE("tls.alpn none: openssl s_client -alpn h2,http/1.1 negotiates no ALPN, the request is still answered") {
    TempDir dir;
    RunningEngine engine({write_scenario(dir, "alpn-none", "  - match: {host: none.example.test}\n    tls: {alpn: none}\n")});
    auto r = s_client(engine, "none.example.test", {"-alpn", "h2,http/1.1"});
    CHECK(r.out.find("No ALPN negotiated") != std::string::npos);
    CHECK(r.out.find("HTTP/1.1 200 OK") != std::string::npos);
    auto alpn = engine.wait_for_event("alpn");
    CHECK(json_field(alpn, "rule") == "none");
    CHECK(json_field(alpn, "selected") == "");
    CHECK(json_field(engine.wait_for_event("tls"), "alpn") == "");
    CHECK(json_field(engine.verdict_for("none.example.test"), "outcome") == "accepted");
}

TEST_CASE("tls.alpn refuse (alpn-refused): curl gets no_application_protocol, curl --no-alpn connects") {
    RunningEngine engine({"alpn-refused"});
    const std::string host = "alpn-refused.tlsfault.test";
    auto refused = curl({"-k", "-sS", "--http1.1", "--connect-to", connect_to(engine, host), "https://" + host + "/"});
    CHECK(refused.exit_code == 35);
    CHECK(refused.err.find("no application protocol") != std::string::npos);
    auto v = engine.verdict_for(host);
    CHECK(json_field(v, "outcome") == "handshake_error");
    CHECK(json_field(v, "sent_alert") == "no_application_protocol");
    auto alpn = engine.wait_for_event("alpn");
    CHECK(json_field(alpn, "refused") == "true");
    CHECK(alpn.find("\"offered\":[\"http/1.1\"]") != std::string::npos);
    CHECK(json_field(engine.wait_for_event("expectation"), "result") == "pass");  // refusing is what a correct client does

    auto python = python_alpn(engine, host, "h2,http/1.1", "");
    CHECK(python.err.find("tlsv1 alert no application protocol") != std::string::npos);
    CHECK(engine.wait_for_event("alpn", "\"offered\":[\"h2\",\"http/1.1\"],\"refused\":true") != "");

    auto plain = curl({"-k", "-sS", "--no-alpn", "-o", "/dev/null", "-w", "%{http_code}", "--connect-to", connect_to(engine, host),
                       "https://" + host + "/"});
    CHECK(plain.exit_code == 0);
    CHECK(plain.out == "200");
    // It asked for no protocol, so it was not refused and is not judged (issue 10; it was judged fail).
    auto skipped = engine.wait_for_event("expectation", "\"result\":\"not_judged\"");
    CHECK(json_field(skipped, "outcome") == "accepted");
    CHECK(json_field(skipped, "reason") == "the client offered no ALPN, so refusing ALPN does not apply to it");
}

TEST_CASE("tls.alpn: a protocol other than http/1.1 with an http answer in the same rule is refused at load") {
    TempDir dir;
    auto file = write_scenario(dir, "alpn-h2-http", "  - match: {host: h2.example.test}\n    tls: {alpn: h2}\n    http: {status: 200}\n");
    auto r = validate(file);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("alpn-h2-http.yaml:9:") != std::string::npos);
    CHECK(r.err.find("rules[0].tls.alpn: ALPN 'h2' makes the client speak it") != std::string::npos);
}

// --- client_cert failure alerts ---

TEST_CASE("client_cert: an expired client certificate gets the rule's chosen alert, curl and s_client name it") {
    TempDir dir;
    RunningEngine engine({write_scenario(dir, "cc-expired",
                                         "  - match: {host: mtls.example.test}\n"
                                         "    client_cert: {mode: require, on_failure: {expired: bad_certificate}}\n")});
    make_client_certs(engine, dir.path());
    auto r = curl_with_cert(engine, "mtls.example.test", dir / "expired");
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("alert bad certificate") != std::string::npos);
    auto v = engine.verdict_for("mtls.example.test");
    CHECK(json_field(v, "sent_alert") == "bad_certificate");
    auto cc = engine.wait_for_event("client_cert");
    CHECK(json_field(cc, "presented") == "true");
    CHECK(json_field(cc, "valid") == "false");
    CHECK(json_field(cc, "problem") == "expired");
    CHECK(json_field(cc, "alert") == "bad_certificate");

    auto s = s_client(engine, "mtls.example.test", {"-cert", dir / "expired.pem", "-key", dir / "expired.key"});
    CHECK(s.all().find("alert bad certificate") != std::string::npos);
}

TEST_CASE("client_cert: require's defaults, certificate_expired and unknown_ca, and a chosen alert for untrusted") {
    TempDir dir;
    RunningEngine engine({write_scenario(dir, "cc-defaults",
                                         "  - match: {host: default.example.test}\n"
                                         "    client_cert: {mode: require}\n"
                                         "  - match: {host: chosen.example.test}\n"
                                         "    client_cert: {mode: require, on_failure: {untrusted: certificate_unknown}}\n")});
    make_client_certs(engine, dir.path());
    auto expired = curl_with_cert(engine, "default.example.test", dir / "expired");
    CHECK(expired.err.find("alert certificate expired") != std::string::npos);
    CHECK(json_field(engine.wait_for_event("verdict", "default.example.test"), "sent_alert") == "certificate_expired");

    auto untrusted = curl_with_cert(engine, "default.example.test", dir / "untrusted");
    CHECK(untrusted.err.find("alert unknown ca") != std::string::npos);
    CHECK(engine.wait_for_event("verdict", "\"sent_alert\":\"unknown_ca\"") != "");
    CHECK(json_field(engine.wait_for_event("client_cert", "\"alert\":\"unknown_ca\""), "problem") == "untrusted");

    auto chosen = s_client(engine, "chosen.example.test", {"-cert", dir / "untrusted.pem", "-key", dir / "untrusted.key"});
    CHECK(chosen.all().find("alert certificate unknown") != std::string::npos);
    CHECK(json_field(engine.verdict_for("chosen.example.test"), "sent_alert") == "certificate_unknown");
}

TEST_CASE("client_cert: a missing certificate on TLS 1.2 gets handshake_failure, on TLS 1.3 certificate_required") {
    TempDir dir;
    RunningEngine engine({write_scenario(dir, "cc-missing",
                                         "  - match: {host: tls12.example.test}\n"
                                         "    tls: {max_version: \"1.2\"}\n"
                                         "    client_cert: {mode: require, on_failure: {missing: handshake_failure}}\n"
                                         "  - match: {host: tls13.example.test}\n"
                                         "    client_cert: {mode: require}\n")});
    auto old = curl({"-k", "-sS", "--connect-to", connect_to(engine, "tls12.example.test"), "https://tls12.example.test/"});
    CHECK(old.exit_code == 35);
    CHECK(old.err.find("alert handshake failure") != std::string::npos);
    CHECK(json_field(engine.verdict_for("tls12.example.test"), "sent_alert") == "handshake_failure");

    auto modern = curl({"-k", "-sS", "--connect-to", connect_to(engine, "tls13.example.test"), "https://tls13.example.test/"});
    CHECK(modern.exit_code == 56);
    CHECK(modern.err.find("alert certificate required") != std::string::npos);
    CHECK(json_field(engine.verdict_for("tls13.example.test"), "sent_alert") == "certificate_required");
}

TEST_CASE("client_cert: alerts OpenSSL cannot send for a failure are refused at load, with the reason") {
    TempDir dir;
    struct Case {
        const char* on_failure;
        const char* message;
    };
    const Case cases[] = {
        {"{missing: bad_certificate}",
         "rules[0].client_cert.on_failure.missing: a missing certificate can only end with OpenSSL's own alert"},
        {"{untrusted: certificate_required}",
         "rules[0].client_cert.on_failure.untrusted: a certificate that fails verification cannot end with certificate_required"},
        {"{missing: handshake_failure}",
         "rules[0].client_cert.on_failure: OpenSSL answers a missing certificate with handshake_failure only on TLS 1.2"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.on_failure);
        auto file = write_scenario(
            dir, "cc-bad",
            std::string("  - match: {host: x.example.test}\n    client_cert: {mode: require, on_failure: ") + c.on_failure + "}\n");
        auto r = validate(file);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(c.message) != std::string::npos);
    }
    auto ok = write_scenario(dir, "cc-ok",
                             "  - match: {host: x.example.test}\n    tls: {max_version: \"1.2\"}\n"
                             "    client_cert: {mode: require, on_failure: {missing: handshake_failure}}\n");
    CHECK(validate(ok).exit_code == 0);
}

// --- keep-alive: every request goes through the rules ---

TEST_CASE("keep-alive: curl fetching three URLs on one connection gets each URL's own answer") {
    TempDir dir;
    RunningEngine engine({write_scenario(dir, "keep-alive",
                                         "  - match: {host: ka.example.test, path: /a}\n"
                                         "    sequence: {first: 1}\n"
                                         "    http: {status: 503, reason: First Only}\n"
                                         "  - match: {host: ka.example.test, path: /b}\n"
                                         "    http: {status: 418, reason: Teapot}\n")});
    const std::string base = "https://ka.example.test";
    auto r = curl({"-k", "-sS", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null", "-w", "%{http_code} %{num_connects}\\n",
                   "--connect-to", connect_to(engine, "ka.example.test"), base + "/a", base + "/b", base + "/a"});
    CHECK(r.exit_code == 0);
    // Request attempts are counted per request: /a is #1 (503), /b #2, /a #3 (past `first: 1`: the origin page).
    CHECK(r.out == "503 1\n418 0\n200 0\n");  // one connection, reused twice
    CHECK(engine.wait_for_verdicts(1).size() == 1);
    engine.wait_for_event("response", "\"source\":\"origin\"");
    CHECK(count_events(engine, "verdict") == 1);
    CHECK(count_events(engine, "response") == 3);
    CHECK(count_events(engine, "rule") == 2);  // one per request a rule answered
    CHECK(json_field(engine.wait_for_event("rule", "\"rules[0]\""), "attempt") == "1");
    CHECK(json_field(engine.wait_for_event("rule", "\"rules[1]\""), "attempt") == "2");
}

TEST_CASE("keep-alive: a rule's answer and forwarding alternate on one connection" * doctest::timeout(60)) {
    UpstreamServer upstream;
    TempDir dir;
    RunningEngine engine({"--upstream-mode", "forward", "--upstream-address", "127.0.0.1:" + std::to_string(upstream.port()),
                          "--upstream-verify", "off",
                          // A host a scenario names is forwarded only when a rule says so.
                          write_scenario(dir, "blocked",
                                         "  - match: {host: app.example.test, path: /blocked}\n"
                                         "    http: {status: 403, reason: Blocked By Rule}\n"
                                         "  - match: {host: app.example.test}\n"
                                         "    http: forward\n")});
    const std::string base = "https://app.example.test";
    auto r = curl({"-k", "-sS", "-w", "[%{http_code} %{num_connects}]\\n", "--connect-to", connect_to(engine, "app.example.test"),
                   base + "/one", base + "/blocked", base + "/two"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("upstream saw GET /one") != std::string::npos);
    CHECK(r.out.find("[200 1]") != std::string::npos);
    CHECK(r.out.find("[403 0]") != std::string::npos);
    CHECK(r.out.find("upstream saw GET /two") != std::string::npos);
    CHECK(r.out.find("[200 0]") != std::string::npos);
    CHECK(r.out.find("upstream saw GET /blocked") == std::string::npos);
    engine.wait_for_event("request", "/two");
    engine.wait_for_event("response", "\"source\":\"upstream\"");
    CHECK(count_events(engine, "verdict") == 1);
    CHECK(json_field(engine.wait_for_event("request", "/blocked"), "mode") == "scenario");
    CHECK(json_field(engine.wait_for_event("request", "/two"), "mode") == "forward");
}

TEST_CASE("match.ja3: a rule picks out curl by its JA3 when no event sink reads the hello, and leaves another ClientHello alone") {
    // curl's JA3 hash, as the client_hello event records it.
    std::string ja3;
    {
        RunningEngine probe;
        auto r = curl({"-k", "-o", "/dev/null", "--connect-to", connect_to(probe, "good.tlsfault.test"), "https://good.tlsfault.test/"});
        REQUIRE(r.exit_code == 0);
        ja3 = json_field(probe.wait_for_event("client_hello"), "ja3_hash");
        REQUIRE(ja3.size() == 32);
    }
    // No event log: the JA3 is computed only because a rule of the loaded set matches on it.
    TempDir dir;
    RunningEngine engine(
        RunningEngine::NoEventLog{},
        {write_scenario(dir, "by-ja3", "  - name: curl by ja3\n    match: {ja3: " + ja3 + "}\n    tls: {alert: access_denied}\n")});
    auto matched = curl({"-k", "-o", "/dev/null", "--connect-to", connect_to(engine, "app.example.test"), "https://app.example.test/"});
    CHECK(matched.exit_code == 35);
    CHECK(matched.err.find("access denied") != std::string::npos);
    // TLS 1.2 at most: no supported_versions extension, so another JA3 and no rule.
    auto other = curl({"-k", "--tls-max", "1.2", "-w", "%{http_code}", "-o", "/dev/null", "--connect-to",
                       connect_to(engine, "app.example.test"), "https://app.example.test/"});
    CHECK(other.out == "200");
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    auto printed = [&] {
        const std::string console = engine.console();
        return console.find("app.example.test [good] -> closed sent access_denied") != std::string::npos &&
               console.find("app.example.test [good] -> accepted") != std::string::npos;
    };
    while (!printed() && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CAPTURE(engine.console());
    CHECK(printed());
}
