// Path regexes (RE2): linear time and bounded stack whatever the path, compiled once at load
// time, bad patterns and unsupported syntax reported as load errors with their position.
#include "tests/unit/scenarios/scenario_test_helpers.hpp"

#include "scenarios/model/rule_selector.hpp"

#include <doctest/doctest.h>

#include <chrono>

using namespace tlsfault::scenarios;
using namespace tlsfault::scenarios::test;

TEST_CASE("path regex: a 40 KB path neither overflows the stack nor takes long") {
    // libstdc++'s std::regex recursed once per character here and crashed with SIGSEGV.
    auto s = load_rules(
        "  - match: {path: {regex: \"^/.*$\"}}\n    http: {status: 500}\n"
        "  - match: {path: {regex: \".*\\\\.sms_aut$\"}}\n    http: {status: 501}\n");
    RuleSelector selector(s);
    auto c = connection("h");
    const auto start = std::chrono::steady_clock::now();
    CHECK(selector.on_request(c, request("/" + std::string(40 * 1024, 'a'))) == nullptr);  // past the 16 KiB regex input limit
    // Just under the limit, RE2 matches in linear time (std::regex recursed once per character).
    CHECK(selector.on_request(c, request("/" + std::string(16 * 1024 - 2, 'a'))) == &s->rules[0]);
    CHECK(s->rules[1].match.path->matches("/x/" + std::string(16 * 1024 - 20, 'b') + ".sms_aut"));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
}

TEST_CASE("path regex: a path longer than the match limit never matches a regex") {
    auto s = load_rules("  - match: {path: {regex: \"^/\"}}\n    http: {status: 500}\n");
    const auto& pattern = *s->rules[0].match.path;
    const std::size_t limit = 16 * 1024;  // PathPattern::regex_input_limit, as docs/scenarios.md says
    CHECK(pattern.matches("/" + std::string(limit - 2, 'a')));
    CHECK_FALSE(pattern.matches("/" + std::string(limit - 1, 'a')));
}

TEST_CASE("path regex: RE2 syntax, backreferences and lookaround are load errors") {
    CHECK(problems_of(header + "  - match: {path: {regex: \"^/api/v[0-9]+/(items|users)$\"}}\n    http: {status: 200}\n").empty());
    auto backref = problems_of(header + "  - match:\n      path: {regex: \"(a)\\\\1\"}\n    http: {status: 200}\n");
    REQUIRE(backref.size() == 1);
    CHECK(backref[0].rfind("t.yaml:6:21: rules[0].match.path.regex: bad regex '(a)\\1': ", 0) == 0);
    CHECK(backref[0].find("RE2 syntax") != std::string::npos);
    auto lookahead = problems_of(header + "  - match:\n      path: {regex: \"^/(?=x)\"}\n    http: {status: 200}\n");
    REQUIRE(lookahead.size() == 1);
    CHECK(lookahead[0].find("rules[0].match.path.regex: bad regex") != std::string::npos);
}

TEST_CASE("path glob: many stars against a 40 KB path take linear-ish time and no deep stack") {
    // The recursive matcher tried every split for every star: exponential in the number of stars.
    auto s = load_rules("  - match: {path: \"/*a*a*a*a*a*a*a*a*b\"}\n    http: {status: 500}\n");
    const auto& pattern = *s->rules[0].match.path;
    const auto start = std::chrono::steady_clock::now();
    CHECK_FALSE(pattern.matches("/" + std::string(40 * 1024, 'a')));
    CHECK(pattern.matches("/" + std::string(40 * 1024, 'a') + "b"));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
}
