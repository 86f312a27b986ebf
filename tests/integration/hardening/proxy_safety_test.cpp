// The explicit proxy is not an open relay to itself, and it does not let a request smuggle a
// second one past it: CONNECT to tlsfault's own listeners is refused (403, and so no nesting),
// a CONNECT inside a CONNECT tunnel is answered by tlsfault up to its own depth limit, then
// refused (403), --allow-connect limits the targets, and a Transfer-Encoding tlsfault cannot frame is a 400
// before anything reaches the upstream.
#include "tests/integration/hardening/hardening_helpers.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::test;

namespace {

std::string connect_request(const std::string& target) { return "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n"; }

/// A POST to `upstream` with `transfer_encoding`, whose body is a second request, on one connection.
std::string smuggling_request(int upstream, const std::string& transfer_encoding, const std::string& body) {
    const std::string host = "127.0.0.1:" + std::to_string(upstream);
    return "POST http://" + host + "/first HTTP/1.1\r\nHost: " + host + "\r\nTransfer-Encoding: " + transfer_encoding + "\r\n\r\n" + body +
           "GET http://" + host + "/smuggled HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
}

}  // namespace

TEST_CASE("hardening: CONNECT to tlsfault's own listeners is refused with 403, so tunnels cannot nest") {
    RunningEngine engine;
    for (int port : {engine.proxy_port(), engine.sni_port(), engine.revocation_port()}) {
        for (const std::string host : {"127.0.0.1", "localhost"}) {
            const std::string target = host + ":" + std::to_string(port);
            CAPTURE(target);
            auto reply = raw_exchange(engine.proxy_port(), connect_request(target));
            CHECK(reply.rfind("HTTP/1.1 403 CONNECT to tlsfault's own listener refused\r\n", 0) == 0);
        }
    }
    auto refused = engine.wait_for_event("verdict", "CONNECT to tlsfault's own listener");
    CHECK(json_field(refused, "outcome") == "aborted");
    CHECK(json_field(refused, "phase") == "proxy_request");
    CHECK(count_events(engine, "verdict") == 6);
}

namespace {

/// nested_connect.py: `depth` CONNECTs to `host` nested on one connection, then TLS inside.
ProcessResult nested_connects(const RunningEngine& engine, int depth, const std::string& host) {
    return run_process({"python3", HARDENING_TEST_DIR "/nested_connect.py", std::to_string(engine.proxy_port()), std::to_string(depth),
                        host, engine.root_pem()},
                       std::chrono::seconds(30));
}

}  // namespace

TEST_CASE("hardening: CONNECTs nested inside a CONNECT tunnel are answered up to 4 deep, and TLS inside the innermost works") {
    RunningEngine engine;
    auto r = nested_connects(engine, 4, "good.tlsfault.test");
    REQUIRE_MESSAGE(r.exit_code == 0, r.all());
    for (int level = 1; level <= 4; ++level)
        CHECK(r.out.find("connect " + std::to_string(level) + ": HTTP/1.1 200 Connection established\n") != std::string::npos);
    CHECK(r.out.find("tls: HTTP/1.1 200 OK") != std::string::npos);
    // One connection: the nested CONNECTs are its requests (with their depth), one verdict.
    auto verdict = engine.verdict_for("good.tlsfault.test");
    CHECK(json_field(verdict, "outcome") == "accepted");
    const std::string conn = "\"conn\":" + json_field(verdict, "conn") + ",";
    for (int depth = 2; depth <= 4; ++depth)
        CHECK(engine.wait_for_event("request", "\"depth\":" + std::to_string(depth)).find(conn) != std::string::npos);
    CHECK(count_events(engine, "accept") == 1);
}

TEST_CASE("hardening: the 5th CONNECT nested on one connection is refused with 403, an event and a verdict") {
    RunningEngine engine;
    auto r = nested_connects(engine, 5, "good.tlsfault.test");
    REQUIRE_MESSAGE(r.exit_code == 0, r.all());
    CHECK(r.out.find("connect 4: HTTP/1.1 200 Connection established\n") != std::string::npos);
    CHECK(r.out.find("connect 5: HTTP/1.1 403 CONNECT nesting limit reached\n") != std::string::npos);
    CHECK(r.out.find("tls:") == std::string::npos);
    auto refused = engine.wait_for_event("request", "\"refused\"");
    CHECK(json_field(refused, "depth") == "5");
    CHECK(json_field(refused, "refused").find("CONNECT nested 5 deep refused (at most 4") != std::string::npos);
    auto verdict = engine.wait_for_event("verdict", "CONNECT nested 5 deep");
    CHECK(json_field(verdict, "outcome") == "aborted");
    CHECK(json_field(verdict, "phase") == "proxy_request");
    CHECK(count_events(engine, "verdict") == 1);
    CHECK(engine.process().running());
}

TEST_CASE("hardening: --allow-connect limits CONNECT targets to its host:port globs") {
    RunningEngine engine({"--allow-connect", "*.allowed.test:443,127.0.0.1:9", "--upstream-mode", "origin"});
    auto refused = raw_exchange(engine.proxy_port(), connect_request("elsewhere.test:443"));
    CHECK(refused.rfind("HTTP/1.1 403 CONNECT target not allowed by --allow-connect\r\n", 0) == 0);
    CHECK(engine.wait_for_event("verdict", "not allowed by --allow-connect") != "");
    // An allowed target is tunnelled and intercepted as usual.
    auto r = curl({"-k", "-o", "/dev/null", "-w", "%{http_code}", "--proxy", "http://127.0.0.1:" + std::to_string(engine.proxy_port()),
                   "https://good.allowed.test/"});
    CHECK(r.out == "200");
    CHECK(engine.verdict_for("good.allowed.test") != "");
}

TEST_CASE("hardening: a request whose Transfer-Encoding is not a final chunked gets 400 and nothing is smuggled upstream") {
    RecordingUpstream upstream;
    RunningEngine engine;
    for (const std::string te : {"chunked, identity", "gzip", "xchunked"}) {
        CAPTURE(te);
        auto reply = raw_exchange(engine.proxy_port(), smuggling_request(upstream.port(), te, ""));
        CHECK(first_status(reply) == 400);
        CHECK(reply.find("HTTP/1.1 200") == std::string::npos);
    }
    CHECK(engine.wait_for_verdicts(3).size() == 3);
    CHECK(engine.wait_for_event("close", "Transfer-Encoding") != "");
    CHECK(upstream.received().find("smuggled") == std::string::npos);
    CHECK(engine.process().running());
}

TEST_CASE("hardening: a bad chunk size gets 400, not a bare close, and the next request is not read") {
    RecordingUpstream upstream;
    RunningEngine engine;
    auto reply = raw_exchange(engine.proxy_port(), smuggling_request(upstream.port(), "chunked", "zz\r\nhello\r\n0\r\n\r\n"));
    CHECK(first_status(reply) == 400);
    CHECK(engine.wait_for_event("close", "bad chunk") != "");
    CHECK(upstream.received().find("smuggled") == std::string::npos);
}
