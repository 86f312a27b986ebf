// Event lines and the console line: valid JSON on one line whatever the client sent.
#include "proxy/events/console_view.hpp"
#include "proxy/events/event_log.hpp"
#include "proxy/events/json_line.hpp"
#include "proxy/core/connection.hpp"
#include "tests/support/process.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

using namespace tlsfault::proxy;

TEST_CASE("events: a JSON line escapes what the client controls") {
    JsonLine line(7, "request");
    line.add("target", std::string_view("/a\"b\\c\n\x01")).add("n", 42).add("ok", true).add("list", std::vector<std::string>{"h2", "x\"y"});
    auto text = line.str();
    CHECK(text.find("\"conn\":7,\"event\":\"request\"") != std::string::npos);
    CHECK(text.find(R"("target":"/a\"b\\c\n\u0001")") != std::string::npos);
    CHECK(text.find(R"("n":42,"ok":true,"list":["h2","x\"y"])") != std::string::npos);
    CHECK(text.find('\n') == std::string::npos);
    CHECK(text.back() == '}');
}

TEST_CASE("events: process-wide events carry no conn field") {
    auto text = JsonLine(0, "listen").add("port", 8443).str();
    CHECK(text.find("\"conn\"") == std::string::npos);
    CHECK(text.rfind("{\"time\":\"20", 0) == 0);
}

TEST_CASE("events: the log writes whole lines to its file") {
    tlsfault::test::TempDir dir;
    {
        EventLog log(dir / "events.jsonl");
        log.write(JsonLine(1, "accept"));
        log.write(JsonLine(1, "close"));
    }
    std::ifstream in(dir / "events.jsonl");
    std::string a, b, c;
    std::getline(in, a);
    std::getline(in, b);
    CHECK(a.find("\"event\":\"accept\"") != std::string::npos);
    CHECK(b.find("\"event\":\"close\"") != std::string::npos);
    CHECK_FALSE(std::getline(in, c));
    CHECK_THROWS_AS(EventLog(dir / "no/such/dir/x"), std::runtime_error);
}

TEST_CASE("events: the console line reads as one sentence") {
    ConnectionSummary s;
    s.id = 3;
    s.peer = "127.0.0.1:5000";
    s.listener = "sni";
    s.host = "expired.tlsfault.test";
    s.profile = "expired";
    s.outcome = "alert";
    s.detail = "certificate_expired";
    s.phase = "handshake";
    s.elapsed_ms = 4.06;
    CHECK(format_summary(s) == "#3 127.0.0.1:5000 sni expired.tlsfault.test [expired] -> alert certificate_expired (handshake, 4.1 ms)");
}

namespace {

/// The console line a Connection writes when it ends, after `use` has noted what it did.
template <class Use>
std::string console_line_of(Use use) {
    tlsfault::test::TempDir dir;
    EventLog log(dir / "events.jsonl");
    std::FILE* out = std::fopen((dir / "console.log").c_str(), "w+");
    REQUIRE(out);
    {
        ConsoleView console(out);
        Connection conn(log, console, ListenerKind::sni, "127.0.0.1:5000", "127.0.0.1:8443");
        use(conn);
    }
    std::fclose(out);
    std::ifstream in(dir / "console.log");
    std::string line;
    std::getline(in, line);
    return line;
}

}  // namespace

TEST_CASE("events: the console line lists every answered request of a kept-alive connection, capped") {
    auto three = console_line_of([](Connection& c) {
        c.note_request("GET", "/svc", 503);
        c.note_request("GET", "/svc", 503);
        c.note_request("GET", "/svc", 200);
    });
    CHECK(three.ends_with(" GET /svc -> 503, GET /svc -> 503, GET /svc -> 200"));

    auto many = console_line_of([](Connection& c) {
        for (int i = 0; i < 13; ++i) c.note_request("GET", "/" + std::to_string(i), 200);
    });
    CHECK(many.find("GET /9 -> 200 (+3 more)") != std::string::npos);
    CHECK(many.find("GET /10 ") == std::string::npos);

    // A request a fault ended before any answer is still named; an answer replaces it.
    auto pending = console_line_of([](Connection& c) { c.note_pending_request("GET http://crl3.example/x.crl"); });
    CHECK(pending.ends_with(" GET http://crl3.example/x.crl"));
    auto answered = console_line_of([](Connection& c) {
        c.note_pending_request("GET http://crl3.example/x.crl");
        c.note_request("GET", "http://crl3.example/x.crl", 404);
        c.set_note("not forwarded: x is named by scenario y");
    });
    CHECK(answered.ends_with(" GET http://crl3.example/x.crl -> 404 [not forwarded: x is named by scenario y]"));
}

TEST_CASE("events: bytes that are not UTF-8 are escaped by value while valid UTF-8 is kept") {
    auto text = JsonLine(1, "client_hello").add("sni", std::string_view("\x80\xff\xc3\xa9\xed\xa0\x80\x7f\x1b")).str();
    CHECK(text.find(R"("sni":"\u0080\u00ff)"
                    "\xc3\xa9"
                    R"(\u00ed\u00a0\u0080\u007f\u001b")") != std::string::npos);
}

TEST_CASE("events: a string value longer than 1 KiB is cut and says how long it was") {
    auto text = JsonLine(1, "verdict").add("host", std::string(5000, 'h')).str();
    CHECK(text.find("\"host\":\"" + std::string(1024, 'h') + "\xe2\x80\xa6(5000 bytes)\"}") != std::string::npos);
    auto exact = JsonLine(1, "verdict").add("host", std::string(1024, 'h')).str();
    CHECK(exact.find("bytes)") == std::string::npos);
}

TEST_CASE("events: the console line escapes control characters in what the client sent") {
    ConnectionSummary s;
    s.id = 4;
    s.peer = "127.0.0.1:5000";
    s.listener = "sni";
    s.host = "x\n#99 forged\x1b[2J\xc2\x9b\xff";
    s.outcome = "closed";
    s.phase = "handshake";
    CHECK(format_summary(s) == "#4 127.0.0.1:5000 sni x\\x0a#99 forged\\x1b[2J\\xc2\\x9b\\xff -> closed (handshake, 0.0 ms)");
}
