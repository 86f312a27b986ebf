// Rule selection and sequencing: first match wins per phase, attempts counted per client and
// host, and seeded probabilities that replay exactly.
#include "tests/unit/scenarios/scenario_test_helpers.hpp"

#include "scenarios/model/rule_selector.hpp"
#include "scenarios/model/scenario_reloader.hpp"

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <doctest/doctest.h>

using namespace tlsfault::scenarios;
using namespace tlsfault::scenarios::test;

TEST_CASE("selection: first matching rule wins, host globs ignore case") {
    auto s = load_rules(
        "  - match: {host: \"*.contoso.com\"}\n    certificate: expired\n"
        "  - match: {host: \"*\"}\n    certificate: self-signed\n");
    RuleSelector selector(s);
    auto a = connection("CMG.CONTOSO.COM");
    CHECK(selector.on_connection(a).rule == &s->rules[0]);
    auto b = connection("example.test");
    CHECK(selector.on_connection(b).rule == &s->rules[1]);
}

TEST_CASE("selection: request rules need their path, query, method and client certificate") {
    auto s = load_rules(
        "  - match: {host: cmgsccm.contoso.com}\n    client_cert: {mode: request, on_failure: continue}\n"
        "  - match: {host: cmgsccm.contoso.com, method: GET, path: /CCM_*/.sms_aut, query: SITESIGNCERT, "
        "client_cert: {presented: false}}\n    http: {status: 403, reason: CMGConnector_Clientcertificaterequired}\n");
    RuleSelector selector(s);
    auto c = connection("cmgsccm.contoso.com");
    CHECK(selector.on_connection(c).rule == &s->rules[0]);
    CHECK(selector.on_request(c, request("/CCM_PROXY_MUTUALAUTH/.sms_aut", "SITESIGNCERT")) == &s->rules[1]);
    CHECK(selector.on_request(c, request("/CCM_PROXY_MUTUALAUTH/.sms_aut", "OTHER")) == nullptr);
    RequestFacts with_cert = request("/CCM_PROXY_MUTUALAUTH/.sms_aut", "SITESIGNCERT");
    with_cert.client_cert_presented = true;
    CHECK(selector.on_request(c, with_cert) == nullptr);
    RequestFacts post = request("/CCM_PROXY_MUTUALAUTH/.sms_aut", "SITESIGNCERT");
    post.method = "POST";
    CHECK(selector.on_request(c, post) == nullptr);
}

TEST_CASE("selection: path regex and header conditions") {
    auto s = load_rules("  - match: {path: {regex: \"^/api/v[0-9]+/\"}, headers: {user-agent: \"curl/*\"}}\n    http: {status: 500}\n");
    RuleSelector selector(s);
    auto c = connection("h");
    RequestFacts r = request("/api/v2/items");
    r.headers = {{"User-Agent", "curl/7.88.1"}};
    CHECK(selector.on_request(c, r) == &s->rules[0]);
    r.headers = {{"User-Agent", "python-requests/2.28"}};
    CHECK(selector.on_request(c, r) == nullptr);
    r = request("/apix/v2/items");
    r.headers = {{"User-Agent", "curl/7.88.1"}};
    CHECK(selector.on_request(c, r) == nullptr);
}

TEST_CASE("sequencing: first N attempts per client and host, then the next rule") {
    auto s = load_rules(
        "  - match: {host: lync}\n    sequence: {first: 2}\n    http: {status: 503, reason: Data store unavailable}\n"
        "  - match: {host: lync}\n    http: {status: 200}\n");
    RuleSelector selector(s);
    auto a = connection("lync", "10.0.0.1");
    auto b = connection("lync", "10.0.0.2");
    CHECK(selector.on_request(a, request("/")) == &s->rules[0]);
    CHECK(selector.on_request(a, request("/")) == &s->rules[0]);
    CHECK(selector.on_request(b, request("/")) == &s->rules[0]);  // another client counts on its own
    CHECK(selector.on_request(a, request("/")) == &s->rules[1]);
    std::uint64_t number = 0;
    CHECK(selector.on_request(a, request("/"), &number) == &s->rules[1]);
    CHECK(number == 4);  // a's fourth request (b counts on its own), as the sequence counted it
}

TEST_CASE("sequencing: every k-th connection, counted per host when asked") {
    auto s = load_rules("  - sequence: {every: 3, per: host}\n    tls: {reset_after_client_hello: true}\n");
    RuleSelector selector(s);
    std::vector<bool> fired;
    for (int i = 0; i < 6; ++i) {
        auto c = connection("h", "10.0.0." + std::to_string(i));  // different clients, same host
        fired.push_back(selector.on_connection(c).rule != nullptr);
    }
    CHECK(fired == std::vector<bool>{false, false, true, false, false, true});
}

TEST_CASE("sequencing: match.attempt selects by attempt number") {
    auto s = load_rules("  - match: {attempt: \"2-3\"}\n    certificate: expired\n");
    RuleSelector selector(s);
    std::vector<bool> fired;
    for (int i = 0; i < 4; ++i) {
        auto c = connection("h");
        fired.push_back(selector.on_connection(c).rule != nullptr);
        CHECK(c.attempt == static_cast<std::uint64_t>(i + 1));
    }
    CHECK(fired == std::vector<bool>{false, true, true, false});
}

TEST_CASE("sequencing: a probability with a seed replays exactly and has the right rate") {
    auto run = [](int seed) {
        auto s = load_rules("  - sequence: {probability: 0.3, seed: " + std::to_string(seed) + "}\n    tls: {alert: internal_error}\n");
        RuleSelector selector(s);
        std::vector<bool> fired;
        for (int i = 0; i < 2000; ++i) {
            auto c = connection("h");
            fired.push_back(selector.on_connection(c).rule != nullptr);
        }
        return fired;
    };
    auto first = run(42);
    CHECK(run(42) == first);
    CHECK(run(43) != first);
    auto hits = std::count(first.begin(), first.end(), true);
    CHECK(hits > 520);  // 0.3 * 2000 = 600; 4 standard deviations is about 82
    CHECK(hits < 680);
}

TEST_CASE("sequencing: fault probability is drawn per connection from the seed") {
    auto s = load_rules("  - sequence: {probability: 1, seed: 9}\n    tcp:\n      - {type: latency, latency: 1s, probability: 0.5}\n");
    RuleSelector selector(s);
    int with = 0;
    for (int i = 0; i < 1000; ++i) {
        auto c = connection("h");
        auto choice = selector.on_connection(c);
        REQUIRE(choice.rule);
        with += static_cast<int>(choice.faults.size());
    }
    CHECK(with > 430);
    CHECK(with < 570);
}

TEST_CASE("expect: verdicts are judged against what a correct client does") {
    auto s = load_rules(
        "  - certificate: expired\n    expect: {reject: [certificate_expired, closed]}\n"
        "  - match: {path: /x}\n    http: {status: 403}\n    expect: {accept: true, status: 403}\n");
    const Expect& reject = *s->rules[0].expect;
    CHECK(expectation_met(reject, {Outcome::alert, TlsAlert::certificate_expired, std::nullopt}));
    // A rejection is a rejection (issue 10): another alert or a reset passes too; accepting fails.
    CHECK(expectation_met(reject, {Outcome::alert, TlsAlert::unknown_ca, std::nullopt}));
    CHECK(expectation_met(reject, {Outcome::closed, std::nullopt, std::nullopt}));
    CHECK_FALSE(expectation_met(reject, {Outcome::accepted, std::nullopt, 200}));
    CHECK(expectation_met(reject, {Outcome::reset, std::nullopt, std::nullopt}));
    const Expect& accept = *s->rules[1].expect;
    CHECK(expectation_met(accept, {Outcome::accepted, std::nullopt, 403}));
    CHECK_FALSE(expectation_met(accept, {Outcome::accepted, std::nullopt, 200}));
    CHECK(describe(reject) == "reject with certificate_expired or a close (or any other refusal)");
}

TEST_CASE("expect: a handshake_error is judged by the alert tlsfault sent") {
    auto s = load_rules(
        "  - tls: {max_version: \"1.0\"}\n    expect: {reject: [protocol_version, closed]}\n"
        "  - tls: {max_version: \"1.2\"}\n    expect: {reject: any}\n");
    const Expect& version = *s->rules[0].expect;
    CHECK(expectation_met(version, {Outcome::handshake_error, std::nullopt, std::nullopt, TlsAlert::protocol_version}));
    // Any refusal passes a plain reject (issue 10; these two were judged fail before).
    CHECK(expectation_met(version, {Outcome::handshake_error, std::nullopt, std::nullopt, TlsAlert::handshake_failure}));
    CHECK(expectation_met(version, {Outcome::handshake_error, std::nullopt, std::nullopt, std::nullopt}));
    const Expect& any = *s->rules[1].expect;
    CHECK(expectation_met(any, {Outcome::handshake_error, std::nullopt, std::nullopt, TlsAlert::handshake_failure}));
}

TEST_CASE("reload: a valid edit goes live, an invalid one is reported once and the last good stays") {
    auto dir = std::filesystem::temp_directory_path() / ("tlsfault-reload-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "live.yaml";
    auto write = [&](const std::string& rules) { std::ofstream(file, std::ios::trunc) << header << rules; };
    write("  - certificate: expired\n");
    ScenarioReloader reloader(file);
    CHECK(reloader.current()->rules[0].certificate->profile.name == "expired");
    auto nothing = reloader.poll();
    CHECK_FALSE(nothing.reloaded);
    CHECK(nothing.problems.empty());

    write("  - certificate: self-signed\n");
    CHECK(reloader.poll().reloaded);
    CHECK(reloader.current()->rules[0].certificate->profile.name == "self-signed");

    write("  - certificate: expird\n");
    auto bad = reloader.poll();
    CHECK_FALSE(bad.reloaded);
    REQUIRE(bad.problems.size() == 1);
    CHECK(bad.problems[0].to_string() ==
          file.string() + ":5:18: rules[0].certificate: unknown certificate profile 'expird'; did you mean 'expired'?");
    CHECK(reloader.current()->rules[0].certificate->profile.name == "self-signed");
    CHECK(reloader.poll().problems.empty());  // reported once, not at every poll

    std::filesystem::remove(file);
    auto gone = reloader.poll();
    REQUIRE(gone.problems.size() == 1);
    CHECK(gone.problems[0].to_string() == file.string() + ": cannot read the file");
    CHECK(reloader.current()->rules[0].certificate->profile.name == "self-signed");
    CHECK(reloader.poll().problems.empty());  // still missing: not repeated

    std::ofstream(file, std::ios::trunc).flush();  // an editor's first step: the file exists but is empty
    auto empty = reloader.poll();
    CHECK_FALSE(empty.reloaded);
    REQUIRE(empty.problems.size() == 1);
    CHECK(empty.problems[0].message.find("the file is empty") != std::string::npos);
    CHECK(reloader.current()->rules[0].certificate->profile.name == "self-signed");

    write("  - certificate: expired\n");  // the next good write goes live
    CHECK(reloader.poll().reloaded);
    CHECK(reloader.current()->rules[0].certificate->profile.name == "expired");
    std::filesystem::remove_all(dir);
}
