// `tlsfault run NAME` prints the scenario's client lines with its real ports and lab root: the
// test runs the banner's curl line exactly as printed (through sh) and checks it reproduces the
// failure, and what tlsfault recorded for it.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <thread>

using namespace tlsfault::test;

namespace {

/// The first console line that starts (after indentation) with `start`; waits up to 10 s for it.
std::string banner_line(const RunningEngine& engine, const std::string& start) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
        std::istringstream in(engine.console());
        for (std::string line; std::getline(in, line);) {
            auto text = line.find_first_not_of(' ');
            if (text != std::string::npos && line.compare(text, start.size(), start) == 0) return line.substr(text);
        }
        if (std::chrono::steady_clock::now() > deadline) return {};
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the banner is written after the listen events
    }
}

}  // namespace

TEST_CASE("run dotnet-tls-server-too-new: the banner's curl line, run as printed, gets protocol_version" * doctest::timeout(60)) {
    RunningEngine engine({"dotnet-tls-server-too-new"});
    REQUIRE_FALSE(banner_line(engine, "try dotnet-tls-server-too-new:").empty());
    const std::string line = banner_line(engine, "curl ");
    CAPTURE(line);
    CHECK(line.find("--tls-max 1.2") != std::string::npos);
    CHECK(line.find("http://127.0.0.1:" + std::to_string(engine.proxy_port())) != std::string::npos);
    CHECK(line.find("\"" + engine.root_pem() + "\"") != std::string::npos);
    CHECK(line.find("8080") == std::string::npos);
    CHECK(line.find("tlsfault ca path") == std::string::npos);

    auto r = run_process({"sh", "-c", "exec " + line + " -m 20"}, std::chrono::seconds(30));
    CHECK(r.exit_code == 35);
    CHECK(r.err.find("alert protocol version") != std::string::npos);
    auto v = engine.verdict_for("api.opendns.com");
    CHECK(json_field(v, "sent_alert") == "protocol_version");
    CHECK(json_field(engine.wait_for_event("rule", "\"phase\":\"connection\""), "scenario") == "dotnet-tls-server-too-new");
}

TEST_CASE("run cmg-forbidden with the proxy off: the banner's curl line uses the SNI listener and gets the 403" * doctest::timeout(60)) {
    RunningEngine engine({"cmg-forbidden", "--proxy-listen", "off"});
    const std::string line = banner_line(engine, "curl ");
    CAPTURE(line);
    CHECK(line.find("--connect-to cmgsccm.contoso.com:443:127.0.0.1:" + std::to_string(engine.sni_port())) != std::string::npos);
    auto r = run_process({"sh", "-c", "exec " + line + " -sS -m 20"}, std::chrono::seconds(30));
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("< HTTP/1.1 403 CMGConnector_Forbidden") != std::string::npos);
    CHECK(json_field(engine.wait_for_event("response", "CMGConnector_Forbidden"), "status") == "403");
}
