// The upstream keep-alive pool and TLS resumption, end to end: curl through the SNI listener in
// forward mode to a local HTTPS origin (pool_backend.py) that says which TCP connection and
// which request on it served each answer, and whether its TLS session was resumed. Each test
// checks what curl received and what tlsfault recorded in its upstream events.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <thread>

using namespace tlsfault::test;

namespace {

/// pool_backend.py with its own self-signed certificate for 127.0.0.1.
class PoolBackend {
public:
    explicit PoolBackend(std::vector<std::string> flags = {}) {
        auto r = run_process({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                              dir_ / "key.pem", "-out", dir_ / "cert.pem", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                              "subjectAltName=IP:127.0.0.1"});
        REQUIRE(r.exit_code == 0);
        std::vector<std::string> argv = {"python3", ENGINE_TEST_DIR "/pool_backend.py", dir_ / "cert.pem", dir_ / "key.pem"};
        argv.insert(argv.end(), flags.begin(), flags.end());
        process_ = std::make_unique<BackgroundProcess>(argv, dir_ / "backend.log");
        port_ = wait_for_port_line(*process_, dir_ / "backend.log");
        if (port_ == 0) FAIL("pool backend did not start");
    }
    int port() const { return port_; }
    std::string cert() const { return dir_ / "cert.pem"; }
    std::string log_path() const { return dir_ / "backend.log"; }
    /// The from-ports of the "CONNECTION <port>" lines so far: every TLS connection accepted.
    std::vector<std::string> connections() const {
        std::vector<std::string> ports;
        const std::string log = read_text(log_path());
        for (std::size_t at = log.find("CONNECTION "); at != std::string::npos; at = log.find("CONNECTION ", at + 1))
            ports.push_back(log.substr(at + 11, log.find('\n', at) - at - 11));
        return ports;
    }

private:
    TempDir dir_;
    std::unique_ptr<BackgroundProcess> process_;
    int port_ = 0;
};

const std::string host = "api.pool.example";

/// An engine forwarding the SNI listener's non-lab hosts to `backend`, verified against its CA.
/// One engine thread unless `extra` says otherwise: each thread lends its upstream connections
/// only to its own client connections, and the tests below follow one pool.
RunningEngine forwarding_engine(const PoolBackend& backend, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--upstream-mode",   "forward", "--upstream-address", "127.0.0.1:" + std::to_string(backend.port()),
                                     "--upstream-verify", "off"};
    if (std::find(extra.begin(), extra.end(), "--threads") == extra.end()) extra.insert(extra.end(), {"--threads", "1"});
    args.insert(args.end(), extra.begin(), extra.end());
    return RunningEngine(args);
}

/// One curl (one client connection) for https://host/`path` through the SNI listener; its body.
std::string fetch(const RunningEngine& engine, const std::string& path, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"-sk", "--connect-to",         connect_to(engine, host),
                                     "-w",  " status=%{http_code}", "https://" + host + path};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = curl(args);
    REQUIRE(r.exit_code == 0);
    return r.out;
}

/// The value after "key=" in a backend answer.
std::string backend_field(const std::string& body, const std::string& key) {
    auto at = body.find(key + "=");
    if (at == std::string::npos) return "?";
    auto end = body.find_first_of(" \n", at);
    return body.substr(at + key.size() + 1, end - at - key.size() - 1);
}

/// A scenario file in `dir` with one rule, named `rule`, for `host`: `actions` are its lines
/// after the match.
std::string scenario_for_host(const TempDir& dir, const std::string& rule, const std::string& actions) {
    return write_scenario(dir, "pool-host-rule", "  - name: " + rule + "\n    match: {host: " + host + "}\n" + actions);
}

/// handshake_then_request.py through the SNI listener for `name`: its handshake, then up to
/// `wait` for the backend to log a connection, then GET `path`. Its output.
std::string handshake_then_request(const RunningEngine& engine, const PoolBackend& backend, const std::string& name, double wait,
                                   const std::string& path) {
    auto r = run_process({"python3", ENGINE_TEST_DIR "/handshake_then_request.py", std::to_string(engine.sni_port()), name,
                          backend.log_path(), "CONNECTION ", std::to_string(wait), path});
    REQUIRE(r.exit_code == 0);
    return r.out;
}

/// Waits (10 s at most) until the backend has logged `count` connections; their from-ports.
std::vector<std::string> wait_for_connections(const PoolBackend& backend, std::size_t count) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    auto ports = backend.connections();
    while (ports.size() < count && std::chrono::steady_clock::now() < end) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling the log, bounded by `end`
        ports = backend.connections();
    }
    return ports;
}

/// Every `upstream` event with ok:true, waiting (with a deadline) until there are `count`.
std::vector<std::string> ok_upstream_events(const RunningEngine& engine, std::size_t count) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    std::vector<std::string> found;
    do {
        found.clear();
        for (const auto& line : engine.events())
            if (json_field(line, "event") == "upstream" && json_field(line, "ok") == "true") found.push_back(line);
        if (found.size() >= count) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling the log, bounded by `end`
    } while (std::chrono::steady_clock::now() < end);
    return found;
}

/// Through handshake_then_request, given a second after its handshake (an early connection
/// comes up in milliseconds here): the upstream was not contacted before the request, which a
/// new upstream connection, not an early one, then answered.
void check_upstream_waits_for_request(const RunningEngine& engine, const PoolBackend& backend) {
    auto out = handshake_then_request(engine, backend, host, 1, "/waited");
    CHECK(out.find("before-request: none") != std::string::npos);
    CHECK(out.find("HTTP/1.1 200") != std::string::npos);
    CHECK(backend.connections().size() == 1);
    auto ups = ok_upstream_events(engine, 1);
    REQUIRE(ups.size() == 1);
    CHECK(json_field(ups[0], "early") == "");
    CHECK(json_field(ups[0], "reused") == "false");
}

}  // namespace

TEST_CASE("upstream pool: two client connections in sequence share one upstream connection" * doctest::timeout(60)) {
    PoolBackend backend;
    RunningEngine engine = forwarding_engine(backend);
    // The client's "Connection: close" ends its own connection, not the pooled upstream leg.
    auto first = fetch(engine, "/one", {"-H", "Connection: close"});
    auto second = fetch(engine, "/two");
    CHECK(first.find("status=200") != std::string::npos);
    CHECK(second.find("status=200") != std::string::npos);
    // The backend saw one TCP connection: the same source port, the second request on it.
    CHECK(backend_field(first, "from-port") == backend_field(second, "from-port"));
    CHECK(backend_field(second, "request") == "2");
    auto ups = ok_upstream_events(engine, 2);
    REQUIRE(ups.size() == 2);
    CHECK(json_field(ups[0], "reused") == "false");
    CHECK(json_field(ups[1], "reused") == "true");
    CHECK(json_field(ups[0], "upstream_conn") == json_field(ups[1], "upstream_conn"));
    CHECK(json_field(ups[0], "conn") != json_field(ups[1], "conn"));
}

TEST_CASE("upstream pool: with two engine threads each thread reuses its own upstream connection" * doctest::timeout(60)) {
    PoolBackend backend;
    RunningEngine engine = forwarding_engine(backend, {"--threads", "2"});
    // Client connections go to the two threads in turn: the third and fourth find the upstream
    // connection the first and second left in their thread's pool.
    for (const char* path : {"/a", "/b", "/c", "/d"}) CHECK(fetch(engine, path).find("status=200") != std::string::npos);
    auto ups = ok_upstream_events(engine, 4);
    REQUIRE(ups.size() == 4);
    CHECK(json_field(ups[0], "reused") == "false");
    CHECK(json_field(ups[1], "reused") == "false");
    CHECK(json_field(ups[2], "reused") == "true");
    CHECK(json_field(ups[3], "reused") == "true");
    CHECK(json_field(ups[2], "upstream_conn") == json_field(ups[0], "upstream_conn"));
    CHECK(json_field(ups[3], "upstream_conn") == json_field(ups[1], "upstream_conn"));
    CHECK(json_field(ups[0], "upstream_conn") != json_field(ups[1], "upstream_conn"));
}

TEST_CASE("upstream pool: --upstream-pool off makes one full handshake per client connection" * doctest::timeout(60)) {
    PoolBackend backend;
    RunningEngine engine = forwarding_engine(backend, {"--upstream-pool", "off"});
    auto first = fetch(engine, "/close");
    auto second = fetch(engine, "/one");
    auto third = fetch(engine, "/two");
    CHECK(third.find("status=200") != std::string::npos);
    CHECK(backend_field(second, "from-port") != backend_field(third, "from-port"));
    CHECK(backend_field(third, "request") == "1");
    CHECK(backend_field(third, "resumed") == "False");
    auto ups = ok_upstream_events(engine, 3);
    REQUIRE(ups.size() == 3);
    std::set<std::string> ids;
    for (const auto& up : ups) {
        CHECK(json_field(up, "reused") == "false");
        CHECK(json_field(up, "resumed") == "false");
        ids.insert(json_field(up, "upstream_conn"));
    }
    CHECK(ids.size() == 3);
}

TEST_CASE("upstream pool: a new upstream connection resumes the last TLS session" * doctest::timeout(60)) {
    PoolBackend backend;
    RunningEngine engine = forwarding_engine(backend);
    auto first = fetch(engine, "/close");  // not reusable: the next request needs a new connection
    auto second = fetch(engine, "/after");
    CHECK(second.find("status=200") != std::string::npos);
    CHECK(backend_field(first, "resumed") == "False");
    CHECK(backend_field(second, "resumed") == "True");  // the backend's own view of the handshake
    CHECK(backend_field(second, "request") == "1");
    auto ups = ok_upstream_events(engine, 2);
    REQUIRE(ups.size() == 2);
    CHECK(json_field(ups[0], "resumed") == "false");
    CHECK(json_field(ups[1], "resumed") == "true");
    CHECK(json_field(ups[1], "reused") == "false");
    CHECK(json_field(ups[0], "upstream_conn") != json_field(ups[1], "upstream_conn"));
}

TEST_CASE("upstream pool: a pooled connection the server dropped is retried once on a new one" * doctest::timeout(60)) {
    PoolBackend backend({"--drop-second"});
    RunningEngine engine = forwarding_engine(backend);
    auto first = fetch(engine, "/one");
    auto second = fetch(engine, "/two");  // the pooled connection gets no answer: closed on arrival
    CHECK(first.find("status=200") != std::string::npos);
    CHECK(second.find("status=200") != std::string::npos);
    CHECK(backend_field(second, "request") == "1");
    CHECK(backend_field(first, "from-port") != backend_field(second, "from-port"));
    auto stale = engine.wait_for_event("upstream_stale");
    auto ups = ok_upstream_events(engine, 3);
    REQUIRE(ups.size() == 3);
    CHECK(json_field(stale, "upstream_conn") == json_field(ups[0], "upstream_conn"));
    CHECK(json_field(ups[1], "reused") == "true");
    CHECK(json_field(ups[2], "reused") == "false");
    CHECK(json_field(ups[2], "resumed") == "true");
    CHECK(json_field(engine.verdict_for(host), "outcome") == "accepted");
}

TEST_CASE("upstream pool: a pooled connection the server closed while idle is checked, dropped and replaced before it is lent" *
          doctest::timeout(60)) {
    // Only a connection filed within the last millisecond is lent unchecked (the stale retry
    // covers it); this one was closed, by a server that did not announce it, long before.
    PoolBackend backend({"--close-after-answer"});
    RunningEngine engine = forwarding_engine(backend);
    auto first = fetch(engine, "/one");
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (read_text(backend.log_path()).find("CLOSED ") == std::string::npos && std::chrono::steady_clock::now() < end)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling the log, bounded by `end`
    REQUIRE(read_text(backend.log_path()).find("CLOSED " + backend_field(first, "from-port")) != std::string::npos);
    auto second = fetch(engine, "/two");
    CHECK(second.find("status=200") != std::string::npos);
    CHECK(backend_field(second, "request") == "1");
    CHECK(backend_field(first, "from-port") != backend_field(second, "from-port"));
    auto ups = ok_upstream_events(engine, 2);
    REQUIRE(ups.size() == 2);
    CHECK(json_field(ups[1], "reused") == "false");      // a new connection, not the closed one
    CHECK(count_events(engine, "upstream_stale") == 0);  // the check caught it: no request was sent on it
}

TEST_CASE("upstream pool: a connection with tcp faults gets its own fresh upstream connection" * doctest::timeout(60)) {
    PoolBackend backend;
    TempDir dir;
    auto file = scenario_for_host(dir, "slow uploads", "    tcp: [{type: latency, latency: 10ms, stream: upstream}]\n    http: forward\n");
    RunningEngine engine = forwarding_engine(backend, {file});
    auto first = fetch(engine, "/one");
    auto second = fetch(engine, "/two");
    CHECK(second.find("status=200") != std::string::npos);
    CHECK(backend_field(first, "from-port") != backend_field(second, "from-port"));
    CHECK(backend_field(second, "resumed") == "False");
    auto ups = ok_upstream_events(engine, 2);
    REQUIRE(ups.size() == 2);
    CHECK(json_field(ups[1], "reused") == "false");
    CHECK(json_field(ups[1], "resumed") == "false");
}

TEST_CASE("early upstream: a new host's upstream connection is up before its client sends a request" * doctest::timeout(60)) {
    PoolBackend backend;
    RunningEngine engine = forwarding_engine(backend);
    auto out = handshake_then_request(engine, backend, host, 10, "/first");
    // The backend accepted tlsfault's TLS connection while the client had sent no request yet,
    // and that connection then carried the request.
    auto ports = backend.connections();
    REQUIRE(ports.size() == 1);
    CHECK(out.find("before-request: CONNECTION " + ports[0]) != std::string::npos);
    CHECK(out.find("HTTP/1.1 200") != std::string::npos);
    CHECK(backend_field(out, "from-port") == ports[0]);
    CHECK(backend_field(out, "request") == "1");
    auto ups = ok_upstream_events(engine, 1);
    REQUIRE(ups.size() == 1);
    CHECK(json_field(ups[0], "early") == "true");
    CHECK(json_field(ups[0], "reused") == "false");
    CHECK(json_field(engine.verdict_for(host), "outcome") == "accepted");
}

TEST_CASE("early upstream: with --upstream-connect on-request the upstream is contacted at the request" * doctest::timeout(60)) {
    PoolBackend backend;
    RunningEngine engine = forwarding_engine(backend, {"--upstream-connect", "on-request"});
    check_upstream_waits_for_request(engine, backend);
}

TEST_CASE("early upstream: a client that refuses the certificate leaves its connection to the next client" * doctest::timeout(60)) {
    PoolBackend backend;
    RunningEngine engine = forwarding_engine(backend);
    // Without -k curl does not trust the lab CA: it refuses during the handshake.
    auto refused = curl({"-sS", "--connect-to", connect_to(engine, host), "https://" + host + "/refused"});
    CHECK(refused.exit_code == 60);
    CHECK(json_field(engine.verdict_for(host), "outcome") == "alert");
    auto ports = wait_for_connections(backend, 1);
    REQUIRE(ports.size() == 1);                    // the early connection, which carried no request
    CHECK(count_events(engine, "upstream") == 0);  // it served no request of the refusing client
    auto next = fetch(engine, "/next");
    CHECK(next.find("status=200") != std::string::npos);
    CHECK(backend_field(next, "from-port") == ports[0]);
    CHECK(backend_field(next, "request") == "1");
    CHECK(backend.connections().size() == 1);
    auto ups = ok_upstream_events(engine, 1);
    REQUIRE(ups.size() == 1);
    CHECK(json_field(ups[0], "reused") == "true");
}

TEST_CASE("early upstream: a host a scenario names waits for its request, even when its rule forwards" * doctest::timeout(60)) {
    PoolBackend backend;
    TempDir dir;
    auto file = scenario_for_host(dir, "forwarded, with a rule", "    http: forward\n");
    RunningEngine engine = forwarding_engine(backend, {file});
    check_upstream_waits_for_request(engine, backend);
}

TEST_CASE("early upstream: --upstream-connect takes early or on-request" * doctest::timeout(30)) {
    auto r = run_process({tlsfault_binary(), "run", "--upstream-connect", "later"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--upstream-connect later: expected early or on-request") != std::string::npos);
}

TEST_CASE("upstream pool: --upstream-pool takes on or off" * doctest::timeout(30)) {
    auto r = run_process({tlsfault_binary(), "run", "--upstream-pool", "maybe"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--upstream-pool maybe: expected on or off") != std::string::npos);
}
