// Java (HttpsURLConnection), mono (HttpWebRequest) and headless Chromium (BoringSSL, the lab
// root in an NSS database: scripts/error-atlas.d/chromium_get.js) through the explicit proxy in
// forward mode:
// the relay passes the upstream's response header to the client as its bytes came
// (proxy/relay/message_head.*), and these clients parse it as they would the upstream's own.
// Each test checks what the client said and the `response` and verdict tlsfault recorded. A name
// (not 127.0.0.1) is asked for: clients bypass a proxy for loopback addresses;
// --upstream-address sends it to the local upstream.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::test;

namespace {

const std::string host = "api.forwarded.test";

RunningEngine forwarding_engine(const UpstreamServer& upstream) {
    return RunningEngine(
        {"--upstream-mode", "forward", "--upstream-address", "127.0.0.1:" + std::to_string(upstream.port()), "--upstream-verify", "off"});
}

std::string url(const UpstreamServer& upstream, const std::string& path) {
    return "https://" + host + ":" + std::to_string(upstream.port()) + path;
}

/// The relayed answer tlsfault recorded for `host`, and that the connection was accepted.
void check_recorded(const RunningEngine& engine) {
    auto response = engine.wait_for_event("response", "\"status\":299");
    CHECK(json_field(response, "reason") == "Odd  Reason Here");
    CHECK(json_field(response, "body_bytes") == "5");
    CHECK(json_field(response, "source") == "upstream");
    CHECK(json_field(engine.verdict_for(host), "outcome") == "accepted");
}

}  // namespace

TEST_CASE("forwarded: Java reads the upstream's own header bytes through the relay" * doctest::timeout(120)) {
    REQUIRE_MESSAGE(run_process({"java", "-version"}, std::chrono::seconds(20)).exit_code == 0,
                    "java is missing: scripts/common.sh installs openjdk-17-jdk-headless");
    UpstreamServer upstream;
    RunningEngine engine = forwarding_engine(upstream);
    const std::string store = engine.dir() / "trust.p12";
    auto imported = run_process({"keytool", "-importcert", "-noprompt", "-alias", "lab-root", "-file", engine.root_pem(), "-keystore",
                                 store, "-storetype", "PKCS12", "-storepass", "changeit"},
                                std::chrono::seconds(60));
    REQUIRE_MESSAGE(imported.exit_code == 0, imported.all());
    auto java = run_process(
        {"java", "-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=" + std::to_string(engine.proxy_port()),
         "-Djavax.net.ssl.trustStore=" + store, "-Djavax.net.ssl.trustStoreType=PKCS12", "-Djavax.net.ssl.trustStorePassword=changeit",
         std::string(SCENARIO_RUN_TEST_DIR) + "/java/HttpsGet.java", url(upstream, "/as-sent")},
        std::chrono::seconds(60));
    CAPTURE(java.all());
    CHECK(java.exit_code == 0);
    CHECK(java.out.find("STATUS 299") != std::string::npos);
    check_recorded(engine);
}

TEST_CASE("forwarded: mono reads the upstream's own header bytes through the relay" * doctest::timeout(120)) {
    REQUIRE_MESSAGE(run_process({"mono", "--version"}).exit_code == 0,
                    "mono is missing: scripts/common.sh installs mono-runtime and mono-mcs");
    TempDir build;
    auto compiled =
        run_process({"mcs", "-nologo", "-out:" + build / "HttpGet.exe", std::string(SCENARIO_RUN_TEST_DIR) + "/mono/HttpGet.cs"},
                    std::chrono::seconds(60));
    REQUIRE_MESSAGE(compiled.exit_code == 0, compiled.all());
    UpstreamServer upstream;
    RunningEngine engine = forwarding_engine(upstream);
    // The lab root in a HOME of its own, as the strict-clients check does.
    const std::string home = build / "home";
    const std::vector<std::string> env = {"env", "HOME=" + home, "XDG_CONFIG_HOME=" + home + "/.config"};
    auto trusted = run_process({env[0], env[1], env[2], "cert-sync", "--user", engine.root_pem()}, std::chrono::seconds(60));
    REQUIRE_MESSAGE(trusted.exit_code == 0, trusted.all());
    auto mono = run_process({env[0], env[1], env[2], "mono", build / "HttpGet.exe", url(upstream, "/as-sent"),
                             "http://127.0.0.1:" + std::to_string(engine.proxy_port())},
                            std::chrono::seconds(60));
    CAPTURE(mono.all());
    CHECK(mono.exit_code == 0);
    CHECK(mono.out.find("STATUS 299") != std::string::npos);
    check_recorded(engine);
}

TEST_CASE("forwarded: Chromium reads the upstream's own status line and body through the relay" * doctest::timeout(120)) {
    UpstreamServer upstream;
    RunningEngine engine = forwarding_engine(upstream);
    auto chromium =
        run_process({CHROMIUM_NODE, CHROMIUM_GET_JS, url(upstream, "/as-sent"), std::to_string(engine.proxy_port()), engine.root_pem()},
                    std::chrono::seconds(90));
    CAPTURE(chromium.all());
    CHECK(chromium.exit_code == 0);
    CHECK(chromium.out.find("HTTP 299 Odd  Reason Here\nhello") != std::string::npos);  // the reason phrase as the upstream wrote it
    check_recorded(engine);
}
