// `tls: {close_after_client_hello: true}` (catalogue: handshake-eof): tlsfault reads the
// ClientHello and closes with a FIN, no alert. curl, Java (HttpsURLConnection) and mono
// (HttpWebRequest, through the explicit proxy) report the close in the handshake; tlsfault
// records `closed`, saying it closed.
// (python3 and openssl s_client run against it in the catalogue sweep, sweep_tls_test.cpp.)
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::test;

namespace {

const std::string host = "handshake-eof.tlsfault.test";

bool java_available() { return run_process({"java", "-version"}, std::chrono::seconds(20)).exit_code == 0; }

void check_recorded_close(const RunningEngine& engine) {
    auto v = engine.verdict_for(host);
    CHECK(json_field(v, "outcome") == "closed");
    CHECK(json_field(v, "phase") == "handshake");
    CHECK(json_field(v, "reason").find("closed by the rule after the ClientHello (FIN, no alert)") != std::string::npos);
    CHECK(json_field(v, "sent_alert").empty());
    CHECK(json_field(engine.wait_for_event("fault"), "type") == "handshake_close");
    CHECK(json_field(engine.wait_for_event("expectation"), "result") == "pass");
    CHECK(count_events(engine, "certificate") == 0);  // the handshake never got as far as a certificate
}

}  // namespace

TEST_CASE("handshake-eof: curl sees the server close during its handshake, tlsfault records that it closed" * doctest::timeout(60)) {
    RunningEngine engine({"handshake-eof"});
    auto r = curl({"-k", "-sS", "--connect-to", connect_to(engine, host), "https://" + host + "/"});
    CHECK(r.exit_code == 35);
    CHECK(r.err.find("SSL_ERROR_SYSCALL") != std::string::npos);
    check_recorded_close(engine);
}

TEST_CASE("handshake-eof: Java's HttpsURLConnection says 'Remote host terminated the handshake'" * doctest::timeout(90)) {
    REQUIRE_MESSAGE(java_available(), "java is missing: scripts/common.sh installs openjdk-17-jdk-headless");
    RunningEngine engine({"handshake-eof"});
    auto java = run_process({"java", "-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=" + std::to_string(engine.proxy_port()),
                             std::string(SCENARIO_RUN_TEST_DIR) + "/java/HttpsGet.java", "https://" + host + "/"},
                            std::chrono::seconds(60));
    CAPTURE(java.all());
    CHECK(java.exit_code == 1);
    CHECK(java.out.find("FAILED javax.net.ssl.SSLHandshakeException: Remote host terminated the handshake") != std::string::npos);
    CHECK(java.out.find("FAILED java.io.EOFException: SSL peer shut down incorrectly") != std::string::npos);
    check_recorded_close(engine);
}

TEST_CASE("handshake-eof: mono's HttpWebRequest says what .NET says: the remote party has closed the transport stream" *
          doctest::timeout(90)) {
    REQUIRE_MESSAGE(run_process({"mono", "--version"}).exit_code == 0,
                    "mono is missing: scripts/common.sh installs mono-runtime and mono-mcs");
    TempDir build;
    auto compiled =
        run_process({"mcs", "-nologo", "-out:" + build / "HttpGet.exe", std::string(SCENARIO_RUN_TEST_DIR) + "/mono/HttpGet.cs"},
                    std::chrono::seconds(60));
    REQUIRE_MESSAGE(compiled.exit_code == 0, compiled.all());
    RunningEngine engine({"handshake-eof"});
    auto mono =
        run_process({"mono", build / "HttpGet.exe", "https://" + host + "/", "http://127.0.0.1:" + std::to_string(engine.proxy_port())},
                    std::chrono::seconds(60));
    CAPTURE(mono.all());
    CHECK(mono.exit_code == 1);
    CHECK(mono.out.find("FAILED System.Net.WebException: Error: SecureChannelFailure (Authentication failed because the remote "
                        "party has closed the transport stream.)") != std::string::npos);
    check_recorded_close(engine);
}
