// The oracle (`expect`) against real clients (issue 10, "An oracle that never lies"): a
// rejection is a rejection whatever the alert (Java's certificate_unknown), the client's offered
// versions count (openssl s_client -tls1_2), a connection closed unused after a served sibling is
// not judged, revocation and AIA fetches give the reason, a client without ALPN is not judged by
// alpn-refused, and a retry sequence is judged when it ends. Each test checks what the client
// said AND the `expectation` tlsfault recorded (result, reason) and its console line.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <thread>

using namespace tlsfault::test;

namespace {

bool java_available() { return run_process({"java", "-version"}, std::chrono::seconds(20)).exit_code == 0; }

/// The expectation event of the connection `verdict` names.
std::string expectation_of(const RunningEngine& engine, const std::string& verdict) {
    return engine.wait_for_event("expectation", "\"conn\":" + json_field(verdict, "conn") + ",");
}

/// The console line of the connection `verdict` names, as its `close` event carries it (the
/// console prints it at the close, which may come after the expectation).
std::string console_line_of(const RunningEngine& engine, const std::string& verdict) {
    return json_field(engine.wait_for_event("close", "\"conn\":" + json_field(verdict, "conn") + ","), "summary");
}

ProcessResult java_get(const RunningEngine& engine, const std::string& url, std::vector<std::string> flags = {}) {
    std::vector<std::string> argv{"java", "-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=" + std::to_string(engine.proxy_port())};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.push_back(std::string(SCENARIO_RUN_TEST_DIR) + "/java/HttpsGet.java");
    argv.push_back(url);
    return run_process(argv, std::chrono::seconds(60));
}

/// openssl s_client over TLS 1.2 at most to the SNI listener; stdin closed, so it ends after the handshake.
ProcessResult s_client_tls12(const RunningEngine& engine, const std::string& host, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{"openssl",     "s_client", "-tls1_2", "-connect",       "127.0.0.1:" + std::to_string(engine.sni_port()),
                                  "-servername", host,       "-CAfile", engine.root_pem()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_process(argv, std::chrono::seconds(20), "");
}

}  // namespace

TEST_CASE("oracle: Java's certificate_unknown is a correct rejection of a self-signed and an untrusted-CA certificate" *
          doctest::timeout(150)) {
    REQUIRE_MESSAGE(java_available(), "java is missing: scripts/common.sh installs openjdk-17-jdk-headless");
    for (const auto& [scenario, host] : std::vector<std::pair<std::string, std::string>>{
             {"cert-self-signed", "self-signed.tlsfault.test"}, {"crm-enterprise-ca-not-imported", "mail.contoso.com"}}) {
        CAPTURE(scenario);
        RunningEngine engine({scenario});
        auto java = java_get(engine, "https://" + host + "/");
        CAPTURE(java.all());
        CHECK(java.exit_code == 1);
        CHECK(java.out.find("FAILED javax.net.ssl.SSLHandshakeException: PKIX path") != std::string::npos);
        auto v = engine.verdict_for(host);
        CHECK(json_field(v, "alert") == "certificate_unknown");
        auto e = expectation_of(engine, v);
        CHECK(json_field(e, "result") == "pass");
        CHECK(json_field(e, "reason") == "rejected with certificate_unknown");
        CHECK(json_field(e, "alert_listed") == "false");  // recorded as detail: not one the scenario names
        CHECK(console_line_of(engine, v).find("{expect pass: rejected with certificate_unknown}") != std::string::npos);
    }
}

TEST_CASE("oracle: curl's own alert passes as listed, curl -k's accept fails" * doctest::timeout(60)) {
    RunningEngine engine({"cert-expired"});
    const std::string host = "expired.tlsfault.test";
    auto refused = curl({"--cacert", engine.root_pem(), "--connect-to", connect_to(engine, host), "https://" + host + "/"});
    CHECK(refused.exit_code == 60);
    auto e = expectation_of(engine, engine.verdict_for(host));
    CHECK(json_field(e, "result") == "pass");
    CHECK(json_field(e, "alert_listed") == "true");
    auto accepted = curl({"-k", "-sS", "-o", "/dev/null", "--connect-to", connect_to(engine, host), "https://" + host + "/"});
    CHECK(accepted.exit_code == 0);
    auto failed = engine.wait_for_event("expectation", "\"result\":\"fail\"");
    CHECK(json_field(failed, "reason") == "accepted what a correct client rejects");
}

TEST_CASE("oracle: python3 ssl's rejection of an untrusted root passes" * doctest::timeout(60)) {
    RunningEngine engine({"cert-untrusted-root"});
    const std::string host = "untrusted-root.tlsfault.test";
    auto py = run_process({"python3", "-c",
                           "import socket, ssl, sys\n"
                           "ctx = ssl.create_default_context(cafile=sys.argv[3])\n"
                           "raw = socket.create_connection(('127.0.0.1', int(sys.argv[2])), timeout=10)\n"
                           "try:\n"
                           "    ctx.wrap_socket(raw, server_hostname=sys.argv[1])\n"
                           "except ssl.SSLCertVerificationError as e:\n"
                           "    print('error', e.verify_message)\n",
                           host, std::to_string(engine.sni_port()), engine.root_pem()});
    CAPTURE(py.all());
    CHECK(py.out.find("error ") != std::string::npos);
    auto e = expectation_of(engine, engine.verdict_for(host));
    CHECK(json_field(e, "result") == "pass");
    CHECK(json_field(e, "reason").starts_with("rejected with "));
}

TEST_CASE(
    "oracle: a TLS 1.2-only client is right to fail tls13-only and client-cert-required, and is the client dotnet-tls-server-too-new judges" *
    doctest::timeout(90)) {
    {
        RunningEngine engine({"tls13-only"});
        const std::string host = "tls13-only.tlsfault.test";
        auto r = s_client_tls12(engine, host);
        CHECK(r.all().find("alert protocol version") != std::string::npos);
        auto v = engine.verdict_for(host);
        CHECK(json_field(v, "sent_alert") == "protocol_version");
        auto e = expectation_of(engine, v);
        CHECK(json_field(e, "result") == "pass");
        CHECK(json_field(e, "offered_max") == "1.2");
        CHECK(json_field(e, "reason").find("offers TLS 1.2 at most and the server needs 1.3") != std::string::npos);
    }
    {
        RunningEngine engine({"client-cert-required"});
        const std::string host = "client-cert-required.tlsfault.test";
        auto r = s_client_tls12(engine, host);
        CHECK(r.all().find("handshake failure") != std::string::npos);
        auto v = engine.verdict_for(host);
        CHECK(json_field(v, "sent_alert") == "handshake_failure");
        auto e = expectation_of(engine, v);
        CHECK(json_field(e, "result") == "pass");
        CHECK(json_field(e, "alert_listed") == "true");  // certificate_required's TLS 1.2 form
    }
    {
        RunningEngine engine({"dotnet-tls-server-too-new"});
        const std::string host = "api.opendns.com";
        auto customer = s_client_tls12(engine, host);
        CHECK(customer.all().find("alert protocol version") != std::string::npos);
        auto v = engine.verdict_for(host);
        auto e = expectation_of(engine, v);
        CHECK(json_field(e, "result") == "pass");
        CHECK(console_line_of(engine, v).find("handshake_error sent protocol_version") != std::string::npos);  // the alert tlsfault sent
        auto modern = curl({"-k", "-sS", "-o", "/dev/null", "--connect-to", connect_to(engine, host), "https://" + host + "/"});
        CHECK(modern.exit_code == 0);
        auto skipped = engine.wait_for_event("expectation", "not_judged");
        CHECK(json_field(skipped, "reason") == "this expectation judges a client offering TLS 1.2 at most; this one offered TLS 1.3");
    }
}

TEST_CASE("oracle: alpn-refused judges curl (ALPN offered) and not openssl s_client (none offered)" * doctest::timeout(60)) {
    RunningEngine engine({"alpn-refused"});
    const std::string host = "alpn-refused.tlsfault.test";
    auto r = curl({"-k", "--connect-to", connect_to(engine, host), "https://" + host + "/"});
    CHECK(r.exit_code != 0);
    CHECK(json_field(engine.wait_for_event("expectation", "\"result\":\"pass\""), "sent_alert") == "no_application_protocol");
    auto s = s_client_tls12(engine, host);
    CAPTURE(s.all());
    auto skipped = engine.wait_for_event("expectation", "not_judged");
    CHECK(json_field(skipped, "reason") == "the client offered no ALPN, so refusing ALPN does not apply to it");
    CHECK(json_field(skipped, "offered_alpn") == "false");
}

TEST_CASE("oracle: a connection closed unused after a served sibling is not judged, alone it fails" * doctest::timeout(60)) {
    RunningEngine engine({"cert-good"});
    const std::string host = "good.tlsfault.test";
    auto lone = s_client_tls12(engine, host);  // handshake, then close without a request: nothing was served yet
    CHECK(lone.out.find("Verify return code: 0 (ok)") != std::string::npos);
    auto failed = engine.wait_for_event("expectation", "\"result\":\"fail\"");
    CHECK(json_field(failed, "reason") == "did not accept: closed");
    auto served =
        curl({"--cacert", engine.root_pem(), "-sS", "-o", "/dev/null", "--connect-to", connect_to(engine, host), "https://" + host + "/"});
    CHECK(served.exit_code == 0);
    engine.wait_for_event("expectation", "\"result\":\"pass\"");
    auto speculative = s_client_tls12(engine, host);  // the same client (127.0.0.1), the same host, just after
    CHECK(speculative.out.find("Verify return code: 0 (ok)") != std::string::npos);
    auto skipped = engine.wait_for_event("expectation", "not_judged");
    CHECK(json_field(skipped, "reason") ==
          "speculative connection: closed without a request after a sibling from the same client was served");
    CHECK(json_field(skipped, "sibling_served") == "true");
}

TEST_CASE("oracle: revoked-crl: Java fetches the CRL and rejects (pass), curl never fetches and accepts (fail: does not check revocation)" *
          doctest::timeout(120)) {
    RunningEngine engine({"revoked-crl"});
    const std::string host = "revoked-crl.tlsfault.test";
    auto lax =
        curl({"--cacert", engine.root_pem(), "-sS", "-o", "/dev/null", "--connect-to", connect_to(engine, host), "https://" + host + "/"});
    CHECK(lax.exit_code == 0);
    auto lax_verdict = engine.verdict_for(host);
    auto failed = expectation_of(engine, lax_verdict);
    CHECK(json_field(failed, "result") == "fail");
    CHECK(json_field(failed, "reason") == "does not check revocation: no CRL/OCSP fetch, and accepted");
    CHECK(json_field(failed, "policy") == "revocation");
    CHECK(console_line_of(engine, lax_verdict).find("{expect fail: does not check revocation") != std::string::npos);
    REQUIRE_MESSAGE(java_available(), "java is missing: scripts/common.sh installs openjdk-17-jdk-headless");
    auto java = run_process({"java", "-Dcom.sun.net.ssl.checkRevocation=true", "-Dcom.sun.security.enableCRLDP=true",
                             std::string(SCENARIO_RUN_TEST_DIR) + "/../revocation/java/RevocationClient.java", host,
                             std::to_string(engine.sni_port()), engine.root_pem()},
                            std::chrono::seconds(60));
    CAPTURE(java.all());
    CHECK(java.exit_code == 1);
    CHECK(java.out.find("Certificate has been revoked") != std::string::npos);
    engine.wait_for_event("revocation", "\"resource\":\"crl");
    auto passed = engine.wait_for_event("expectation", "\"result\":\"pass\"");
    CHECK(json_field(passed, "reason") == "rejected with certificate_revoked after fetching the revocation status");
    CHECK(passed.find("\"fetched\":[\"revocation\"]") != std::string::npos);
}

TEST_CASE("oracle: cert-missing-intermediate-aia: Java that chases AIA fetches the intermediate, connects and passes" *
          doctest::timeout(120)) {
    REQUIRE_MESSAGE(java_available(), "java is missing: scripts/common.sh installs openjdk-17-jdk-headless");
    RunningEngine engine({"cert-missing-intermediate-aia"});
    const std::string host = "missing-intermediate-aia.tlsfault.test";
    const std::string store = engine.dir() / "trust.p12";
    auto imported = run_process({"keytool", "-importcert", "-noprompt", "-alias", "lab-root", "-file", engine.root_pem(), "-keystore",
                                 store, "-storetype", "PKCS12", "-storepass", "changeit"},
                                std::chrono::seconds(60));
    REQUIRE_MESSAGE(imported.exit_code == 0, imported.all());
    auto java = java_get(engine, "https://" + host + "/",
                         {"-Djavax.net.ssl.trustStore=" + store, "-Djavax.net.ssl.trustStoreType=PKCS12",
                          "-Djavax.net.ssl.trustStorePassword=changeit", "-Dcom.sun.security.enableAIAcaIssuers=true"});
    CAPTURE(java.all());
    CHECK(java.out.find("STATUS 200") != std::string::npos);
    engine.wait_for_event("revocation", "\"resource\":\"ca");
    auto e = expectation_of(engine, engine.verdict_for(host));
    CHECK(json_field(e, "result") == "pass");
    CHECK(json_field(e, "reason") == "chased AIA: fetched the missing intermediate and connected");
}

TEST_CASE("oracle: a retry sequence is judged when it ends: curl --retry passes at attempt 3, one try fails after the window" *
          doctest::timeout(60)) {
    TempDir dir;
    const std::string host = "retry.tlsfault.test";
    auto file = write_scenario(dir, "retry-window",
                               "  - name: unavailable\n    match: {host: " + host +
                                   "}\n    sequence: {first: 2}\n"
                                   "    http: {status: 503}\n    expect: {retry_then_succeed: 3, within: 2s}\n"
                                   "  - name: recovered\n    match: {host: " +
                                   host + "}\n    http: {status: 200, body: \"ok\\n\"}\n");
    {
        RunningEngine engine({file});
        auto once =
            curl({"-k", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--connect-to", connect_to(engine, host), "https://" + host + "/"});
        CHECK(once.out == "503");
        CHECK(count_events(engine, "expectation") == 0);  // not judged at the first 503
        auto failed = engine.wait_for_event("expectation", "", std::chrono::seconds(10));
        CHECK(json_field(failed, "result") == "fail");
        CHECK(json_field(failed, "within_ms") == "2000");
        CHECK(json_field(failed, "policy") == "retry");  // a client that does not retry: its policy, named
        CHECK(json_field(failed, "reason") == "the client did not come back within 2s after attempt 1 (success was due by attempt 3)");
        CHECK(engine.console().find("expect fail: the client did not come back within 2s") != std::string::npos);
    }
    {
        RunningEngine engine({file});
        auto retried = curl({"-k", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--retry", "3", "--retry-all-errors", "--retry-delay",
                             "1", "--connect-to", connect_to(engine, host), "https://" + host + "/"});
        CHECK(retried.out == "200");
        auto passed = engine.wait_for_event("expectation");
        CHECK(json_field(passed, "result") == "pass");
        CHECK(json_field(passed, "reason") == "retried and succeeded at attempt 3");
        CHECK(json_field(passed, "attempt") == "3");
    }
}

TEST_CASE("oracle: a lax default policy fails with the policy named, from what tlsfault saw, and the strict client passes" *
          doctest::timeout(150)) {
    // Each row: the scenario, its host, a client that rejects (strict by default, or asked to
    // be), one that accepts by its policy, and the judgement tlsfault must record for the latter.
    struct Row {
        std::string scenario, host;
        std::vector<std::string> strict, lax;
        std::string policy, reason;
    };
    const std::vector<Row> rows{
        {"tls10-only",
         "tls10-only.tlsfault.test",
         {},
         {"--tlsv1.0", "--ciphers", "DEFAULT@SECLEVEL=0"},
         "legacy_tls",
         "its policy still allows TLS 1.0 (offered TLS 1.0 to 1.3), and accepted"},
        {"weak-ciphers-only",
         "weak-ciphers-only.tlsfault.test",
         {"--ciphers", "ECDHE+AESGCM", "--tls-max", "1.2"},
         {},
         "weak_ciphers",
         "its policy still offers suites without forward secrecy (RSA key exchange in its ClientHello), and accepted"},
        {"cert-sha1-signature",
         "sha1-signature.tlsfault.test",
         {},
         {"--ciphers", "DEFAULT@SECLEVEL=0"},
         "sha1",
         "its policy accepts SHA-1 certificate signatures (offered SHA-1 in signature_algorithms), and accepted"},
        {"cert-rsa-1024",
         "rsa-1024.tlsfault.test",
         {},
         {"--ciphers", "DEFAULT@SECLEVEL=1"},
         "weak_key",
         "its policy accepts RSA keys below 2048 bits, and accepted"},
        {"must-staple-missing",
         "must-staple-missing.tlsfault.test",
         {"--cert-status"},
         {},
         "must_staple",
         "does not enforce must-staple (did not ask for a staple), and accepted"},
        {"cert-no-san",
         "no-san.tlsfault.test",
         {},
         {},
         "cn_fallback",
         "its policy falls back to the subject CN without a subjectAltName, and accepted"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.scenario);
        RunningEngine engine({row.scenario});
        const std::vector<std::string> base{"--cacert",     engine.root_pem(),           "-sS", "-o", "/dev/null",
                                            "--connect-to", connect_to(engine, row.host)};
        if (row.scenario != "cert-no-san") {  // curl (OpenSSL) always falls back to the CN: no strict curl
            auto args = base;
            args.insert(args.end(), row.strict.begin(), row.strict.end());
            args.push_back("https://" + row.host + "/");
            auto strict = curl(args);
            CAPTURE(strict.all());
            CHECK(strict.exit_code != 0);
            auto passed = engine.wait_for_event("expectation", "\"result\":\"pass\"");
            CHECK(passed.find("\"policy\"") == std::string::npos);
        }
        auto args = base;
        args.insert(args.end(), row.lax.begin(), row.lax.end());
        args.push_back("https://" + row.host + "/");
        auto lax = curl(args);
        CAPTURE(lax.all());
        CHECK(lax.exit_code == 0);
        auto failed = engine.wait_for_event("expectation", "\"result\":\"fail\"");
        CHECK(json_field(failed, "policy") == row.policy);
        CHECK(json_field(failed, "reason") == row.reason);
        CHECK(console_line_of(engine, failed).find("{expect fail: " + row.reason) != std::string::npos);
    }
}
