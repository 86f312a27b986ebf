// At SIGTERM every connection still open gets a verdict naming the phase it was really in:
// waiting for the ClientHello, for the proxy request, in the handshake, or for the first request.
#include "tests/integration/hardening/hardening_helpers.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <map>

using namespace tlsfault::test;

namespace {

/// conn id -> listener, from the accept events.
std::map<std::string, std::string> listeners_by_conn(const RunningEngine& engine) {
    std::map<std::string, std::string> out;
    for (const auto& line : engine.events())
        if (json_field(line, "event") == "accept") out[json_field(line, "conn")] = json_field(line, "listener");
    return out;
}

}  // namespace

TEST_CASE("hardening: at SIGTERM, open connections are given the phase they were in") {
    RunningEngine engine;
    int waiting_hello = connect_loopback(engine.sni_port());
    int waiting_proxy_request = connect_loopback(engine.proxy_port());
    REQUIRE(waiting_hello >= 0);
    REQUIRE(waiting_proxy_request >= 0);
    // A ClientHello, then nothing: the engine has answered and waits for the client's next flight.
    BackgroundProcess in_handshake({"python3", HARDENING_TEST_DIR "/raw_client.py", "hello", std::to_string(engine.sni_port()),
                                    "68616e647368616b652d70686173652e74657374"},  // "handshake-phase.test"
                                   engine.dir() / "raw.log");
    // A completed handshake, then no request.
    BackgroundProcess idle_after_handshake({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(engine.sni_port()),
                                            "-servername", "request-phase.test", "-ign_eof"},
                                           engine.dir() / "s_client.log");
    REQUIRE(engine.wait_for_event("certificate", "handshake-phase.test") != "");
    const std::string s_client_log = engine.dir() / "s_client.log";
    REQUIRE(wait_for_text([&] { return read_whole_file(s_client_log); }, "Verify return code").find("Verify return code") !=
            std::string::npos);
    REQUIRE(count_events(engine, "accept") == 4);

    CHECK(engine.process().stop() == 0);
    auto verdicts = engine.wait_for_verdicts(4);
    REQUIRE(verdicts.size() == 4);
    auto listeners = listeners_by_conn(engine);
    std::map<std::string, std::string> phase_of;
    for (const auto& v : verdicts) {
        auto host = json_field(v, "host");
        phase_of[host.empty() ? listeners[json_field(v, "conn")] : host] = json_field(v, "phase");
        CHECK(json_field(v, "outcome") == "aborted");
    }
    CHECK(phase_of["sni"] == "client_hello");
    CHECK(phase_of["proxy"] == "proxy_request");
    CHECK(phase_of["handshake-phase.test"] == "handshake");
    CHECK(phase_of["request-phase.test"] == "request");
    close(waiting_hello);
    close(waiting_proxy_request);
}
