// The soak and hostile-peer test (ctest label `soak`, under two minutes): soak_driver.py drives
// 2,000 concurrent and 20,000 sequential TLS connections plus slowloris, byte-by-byte and 64 KB
// ClientHellos, 1 MB headers and garbage against one tlsfault, then checks accept = verdict =
// close events = connections made, every line valid JSON, descriptors back to the warm-up
// baseline and RSS within a bound of warm-up. This test checks the driver's verdict, the
// engine's own record of it, and that the process is still running.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <sys/resource.h>

#include <algorithm>
#include <string>

using namespace tlsfault::test;

namespace {

/// Room for 2,000 client and 2,000 server descriptors, inherited by tlsfault and the driver.
void raise_descriptor_limit(rlim_t want) {
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < want) {
        limit.rlim_cur = std::min(want, limit.rlim_max);
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

}  // namespace

TEST_CASE("soak: 2,000 concurrent and 20,000 sequential TLS connections and hostile peers lose no verdict, descriptor or memory") {
    raise_descriptor_limit(8192);
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    REQUIRE_MESSAGE(limit.rlim_cur >= 4500, "the soak needs 4,500 descriptors; ulimit -n allows " << limit.rlim_cur);
    // Short client timeouts so the slowloris peers are ended within the test's two minutes.
    RunningEngine engine({"alert-handshake-failure", "--api-listen", "off", "--client-hello-timeout", "3s", "--handshake-timeout", "5s",
                          "--header-timeout", "3s"});
    const auto result =
        run_process({"python3", SOAK_DRIVER, "soak", "--pid", std::to_string(engine.process().pid()), "--sni-port",
                     std::to_string(engine.sni_port()), "--proxy-port", std::to_string(engine.proxy_port()), "--ca", engine.root_pem(),
                     "--events", engine.dir() / "events.jsonl", "--rss-bound-mb", std::to_string(SOAK_RSS_BOUND_MB)},
                    std::chrono::seconds(SOAK_DEADLINE_SECONDS));
    MESSAGE("soak summary: " << result.out);
    INFO("driver stderr: " << result.err);
    CHECK_FALSE(result.timed_out);
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("\"failures\": []") != std::string::npos);
    CHECK(engine.process().running());
    // The engine's own record agrees: one verdict per accepted connection.
    CHECK(count_events(engine, "verdict") == count_events(engine, "accept"));
}
