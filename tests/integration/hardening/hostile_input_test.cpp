// Input a hostile client controls — a 40 KB path against a regex rule, SNI bytes that are not
// UTF-8, control characters and terminal escapes, a 60 KB SNI — costs that client one
// connection: the engine survives, every event line stays valid JSON, the console shows one
// escaped line per connection, and the log grows by a bounded amount.
#include "tests/integration/hardening/hardening_helpers.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using namespace tlsfault::test;

namespace {

/// Waits until the console holds `needle` (the console line is written after the verdict event).
std::string wait_for_console(const RunningEngine& engine, const std::string& needle) {
    return wait_for_text([&] { return engine.console(); }, needle);
}

std::string plain_get(const std::string& host, const std::string& path) {
    return "GET http://" + host + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
}

}  // namespace

TEST_CASE("hardening: a 40 KB path against a regex rule costs one request, and the next client is answered") {
    TempDir files;
    auto scenario = write_scenario(files, "regex-path",
                                   "  - match: {path: {regex: \"^/.*$\"}}\n"
                                   "    http: {status: 500, reason: Regex Matched}\n");
    RunningEngine engine({"--upstream-mode", "origin", scenario});
    // libstdc++'s std::regex recursed once per character of this path and killed the engine.
    auto long_reply = raw_exchange(engine.proxy_port(), plain_get("regex.test", "/" + std::string(40 * 1024, 'a')));
    CHECK(first_status(long_reply) != 0);
    REQUIRE(engine.process().running());
    auto next = raw_exchange(engine.proxy_port(), plain_get("regex.test", "/short"));
    CHECK(next.rfind("HTTP/1.1 500 Regex Matched\r\n", 0) == 0);
    auto verdicts = engine.wait_for_verdicts(2);
    REQUIRE(verdicts.size() == 2);
    CHECK(json_field(verdicts[1], "outcome") == "plain_http");
    CHECK(engine.wait_for_event("rule", "regex-path") != "");
}

TEST_CASE("hardening: SNI bytes that are not UTF-8, control characters and escapes keep every event line valid JSON") {
    RunningEngine engine;
    const std::vector<std::string> hostile = {"\x80\xff\xfe.evil.test", "line\nbreak.test", "esc\x1b[2J.test", "\xc3\xa9t\xc3\xa9.test"};
    for (const auto& sni : hostile) send_hostile_hello(engine.sni_port(), sni);
    REQUIRE(engine.wait_for_verdicts(hostile.size()).size() == hostile.size());
    CHECK(check_event_log_json(engine) == "OK");
    std::string all;
    for (const auto& line : engine.events()) all += line + "\n";
    CHECK(all.find(R"(\u0080\u00ff\u00fe.evil.test)") != std::string::npos);  // invalid bytes: \u00XX of the byte
    CHECK(all.find(R"(line\nbreak.test)") != std::string::npos);
    CHECK(all.find(R"(esc\u001b[2J.test)") != std::string::npos);
    CHECK(all.find("\xc3\xa9t\xc3\xa9.test") != std::string::npos);  // valid UTF-8 is kept as it is
    CHECK(engine.process().running());
}

TEST_CASE("hardening: a newline or escape sequence in an SNI cannot forge a console line") {
    RunningEngine engine;
    send_hostile_hello(engine.sni_port(), "x\n#99 127.0.0.1:1 sni forged.test -> accepted (handshake, 1.0 ms)");
    send_hostile_hello(engine.sni_port(), "red\x1b[31m.test");
    REQUIRE(engine.wait_for_verdicts(2).size() == 2);
    auto console = wait_for_console(engine, "red\\x1b[31m.test");
    CHECK(console.find("x\\x0a#99 127.0.0.1:1 sni forged.test") != std::string::npos);
    CHECK(console.find("\n#99 ") == std::string::npos);
    CHECK(console.find('\x1b') == std::string::npos);
    CHECK(console.find("red\\x1b[31m.test") != std::string::npos);
}

TEST_CASE("hardening: a carriage return in a YAML key is escaped in validate's message") {
    TempDir dir;
    std::ofstream(dir / "cr.yaml") << "name: cr\n\"fake\\rtlsfault: all good\": 1\n";
    auto r = run_process({tlsfault_binary(), "validate", dir / "cr.yaml"});
    CHECK(r.exit_code == 2);
    CHECK(r.all().find('\r') == std::string::npos);
    CHECK(r.all().find("fake\\x0dtlsfault: all good") != std::string::npos);
}

TEST_CASE("hardening: a 60 KB SNI is logged cut to 1 KiB per field, saying how long it was") {
    RunningEngine engine;
    const std::string sni = std::string(60000, 'a') + ".test";
    const auto before = std::filesystem::file_size(engine.dir() / "events.jsonl");
    send_hostile_hello(engine.sni_port(), sni);
    auto verdict = engine.wait_for_verdicts(1).at(0);
    const auto grown = std::filesystem::file_size(engine.dir() / "events.jsonl") - before;
    CHECK(grown < 16 * 1024);  // before: 177 KiB (the SNI three times, and more)
    CHECK(verdict.find(std::string(1024, 'a') + "\xe2\x80\xa6(60005 bytes)\"") != std::string::npos);
    CHECK(verdict.find(std::string(1025, 'a')) == std::string::npos);
    auto console = wait_for_console(engine, "(60005 bytes)");
    CHECK(console.find("(60005 bytes)") != std::string::npos);
    CHECK(console.size() < 8 * 1024);
    CHECK(check_event_log_json(engine) == "OK");
}
