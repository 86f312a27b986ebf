// Which loaded scenarios a connection's host concerns: those naming it, those with a wildcard or
// no host condition, and those whose sequences count every connection (per client, all).
#include "tests/unit/scenarios/scenario_test_helpers.hpp"

#include "scenarios/model/selector_index.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::scenarios;
using namespace tlsfault::scenarios::test;

namespace {

std::vector<std::shared_ptr<RuleSelector>> selectors(const std::vector<std::string>& rule_lists) {
    std::vector<std::shared_ptr<RuleSelector>> out;
    for (const auto& rules : rule_lists) out.push_back(std::make_shared<RuleSelector>(load_rules(rules)));
    return out;
}

}  // namespace

TEST_CASE("selector index: a host concerns the scenarios naming it and those looking at every host") {
    auto loaded = selectors({
        "  - match: {host: a.test}\n    certificate: expired\n",                                         // 0: names a.test
        "  - match: {host: B.TEST}\n    certificate: expired\n",                                         // 1: names b.test
        "  - match: {host: \"*.wild.test\"}\n    certificate: expired\n",                                // 2: wildcard
        "  - certificate: expired\n",                                                                    // 3: every host
        "  - match: {host: c.test}\n    sequence: {first: 2, per: client}\n    certificate: expired\n",  // 4: counts per client
        "  - match: {host: [a.test, d.test]}\n    certificate: expired\n",                               // 5: names a.test, d.test
    });
    SelectorIndex index(loaded);
    CHECK(index.concerned("a.test") == std::vector<std::size_t>{0, 2, 3, 4, 5});
    CHECK(index.concerned("b.test") == std::vector<std::size_t>{1, 2, 3, 4});  // case does not matter
    CHECK(index.concerned("A.Test") == std::vector<std::size_t>{0, 2, 3, 4, 5});
    CHECK(index.concerned("unnamed.test") == std::vector<std::size_t>{2, 3, 4});
    CHECK(index.may_name("a.test") == std::vector<std::size_t>{0, 2, 5});
    CHECK(index.may_name("unnamed.test") == std::vector<std::size_t>{2});
    CHECK(loaded[2]->names_host("x.wild.test"));
    CHECK_FALSE(loaded[3]->names_host("x.wild.test"));  // no host condition names no host
}

TEST_CASE("selector index: 1,000 host rules leave an unnamed host with nothing to ask") {
    std::string rules;
    for (int i = 0; i < 1000; ++i) rules += "  - match: {host: h" + std::to_string(i) + ".test}\n    certificate: expired\n";
    auto loaded = selectors({rules, "  - match: {host: other.test}\n    certificate: expired\n"});
    SelectorIndex index(loaded);
    CHECK(index.concerned("127.0.0.1").empty());
    CHECK(index.concerned("h999.test") == std::vector<std::size_t>{0});
    CHECK(index.may_name("other.test") == std::vector<std::size_t>{1});
}
