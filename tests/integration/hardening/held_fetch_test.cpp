// The revocation listener's slow-<N>s and blackhole modes hold a fetch open on purpose; a
// client that leaves must free it, the number held at once is capped (503 above it), and when
// file descriptors run out the listeners back off, say so once, and recover.
#include "tests/integration/hardening/hardening_helpers.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <vector>

using namespace tlsfault::test;

namespace {

const std::string slow_fetch = "GET /slow-3600s/crl/intermediate.crl HTTP/1.1\r\nHost: lab\r\n\r\n";

/// Opens `n` slow fetches; returns their sockets (failed connects are left out).
std::vector<int> open_slow_fetches(int port, int n) {
    std::vector<int> fds;
    for (int i = 0; i < n; ++i) {
        int fd = connect_loopback(port);
        if (fd < 0) continue;
        send_all(fd, slow_fetch);
        fds.push_back(fd);
    }
    return fds;
}

}  // namespace

TEST_CASE("hardening: more than 64 held fetches at once get 503 at once") {
    RunningEngine engine;
    auto held = open_slow_fetches(engine.revocation_port(), 64);
    REQUIRE(held.size() == 64);
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (count_events(engine, "revocation") < 64 && std::chrono::steady_clock::now() < end)
        engine.wait_for_event("revocation", "\"fetch\":64", std::chrono::milliseconds(200));
    REQUIRE(count_events(engine, "revocation") == 64);
    const auto start = std::chrono::steady_clock::now();
    auto reply =
        raw_exchange(engine.revocation_port(), "GET /slow-3600s/crl/intermediate.crl HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n");
    CHECK(reply.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0) == 0);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    CHECK(engine.wait_for_event("revocation", "held-fetch limit") != "");
    for (int fd : held) close(fd);
    CHECK(engine.wait_for_event("revocation_end", "client gave up") != "");
}

TEST_CASE("hardening: slow fetches whose clients left free their descriptors, and with ulimit -n 64 the SNI listener still serves") {
    RunningEngine engine({}, {}, {"bash", "-c", "ulimit -n 64; exec \"$0\" \"$@\""});
    auto fetches = open_slow_fetches(engine.revocation_port(), 100);  // more than the engine has descriptors
    CHECK(fetches.size() == 100);
    // Wait until the engine holds as many as it can (it runs out of descriptors before 100).
    engine.wait_for_event("accept_paused", "", std::chrono::seconds(10));
    for (int fd : fetches) close(fd);
    auto r = curl({"-k", "-o", "/dev/null", "-w", "%{http_code}", "--connect-to", connect_to(engine, "good.tlsfault.test"),
                   "https://good.tlsfault.test/"});
    CHECK(r.out == "200");
    CHECK(engine.verdict_for("good.tlsfault.test") != "");
    CHECK(engine.wait_for_event("revocation_end", "client gave up") != "");
    CHECK(engine.wait_for_event("accept_resumed") != "");
    CHECK(engine.process().running());
}
