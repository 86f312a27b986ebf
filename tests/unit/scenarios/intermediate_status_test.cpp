// `chain: {intermediate_status: ...}`: what it does to the rule's certificate profile, how
// `explain` shows it, and the file:line:col errors for what it cannot apply to.
#include "tests/unit/scenarios/scenario_test_helpers.hpp"

#include "scenarios/builtin/scenario_text.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::scenarios;
using namespace tlsfault::scenarios::test;
using tlsfault::certgen::IntermediateStatus;

TEST_CASE("chain.intermediate_status: the rule's leaf comes from that intermediate, a profile of its own") {
    auto s = load_rules(
        "  - match: {host: a.test}\n"
        "    chain: {intermediate_status: revoked}\n"
        "  - match: {host: b.test}\n"
        "    certificate: revoked\n"
        "    chain: {intermediate_status: unreachable, extra: [rogue-root]}\n"
        "  - match: {host: c.test}\n"
        "    chain: {intermediate_status: good}\n");
    const Rule& a = s->rules[0];
    REQUIRE(a.certificate);  // made from the good profile
    CHECK(a.certificate->base_profile == "good");
    CHECK(a.certificate->profile.intermediate_status == IntermediateStatus::revoked);
    CHECK(a.certificate->profile.name == "t/rules[0]");  // cached apart from the plain good leaf
    CHECK(a.chain->kind == ChainAction::Kind::full);
    const Rule& b = s->rules[1];
    CHECK(b.certificate->profile.revoked);  // the named profile's fields stay
    CHECK(b.certificate->profile.intermediate_status == IntermediateStatus::unreachable);
    CHECK(b.chain->kind == ChainAction::Kind::extra);
    CHECK_FALSE(s->rules[2].certificate);  // good changes nothing
    const std::string text = explain_text(*s);
    CHECK_MESSAGE(text.find("chain full, intermediate revoked (on the root's CRL; OCSP says revoked)") != std::string::npos, text);
    CHECK(text.find("chain extra, intermediate's CRL and OCSP unreachable (closed port)") != std::string::npos);
}

TEST_CASE("chain.intermediate_status: errors name the key, and what to do") {
    CHECK(problems_of(header + "  - chain: {intermediate_status: revokd}\n") ==
          std::vector<std::string>{
              "t.yaml:5:34: rules[0].chain.intermediate_status: unknown intermediate status 'revokd'; did you mean 'revoked'?"});
    CHECK(problems_of(header + "  - certificate: untrusted-root\n    chain: {intermediate_status: revoked}\n") ==
          std::vector<std::string>{"t.yaml:6:34: rules[0].chain.intermediate_status: this leaf is not issued by the lab intermediate "
                                   "(issuer: rogue); drop intermediate_status, or use a profile with issuer: intermediate"});
    CHECK(problems_of(header + "  - chain: {intermediate_status: revoked, custom: [lab-intermediate]}\n") ==
          std::vector<std::string>{"t.yaml:5:34: rules[0].chain.intermediate_status: a custom chain lists its certificates itself; "
                                   "intermediate_status applies to the full chain (or extra)"});
}
