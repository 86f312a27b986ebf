// Attempt counting under a flood of distinct hosts: the table is bounded (least recently used
// keys go first), keys are normalised and length-limited, and a live sequence is never reset
// by other clients' traffic.
#include "tests/unit/scenarios/scenario_test_helpers.hpp"

#include "scenarios/model/rule_selector.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::scenarios;
using namespace tlsfault::scenarios::test;

namespace {

const std::string first_two = "  - match: {host: lync.test}\n    sequence: {first: 2}\n    certificate: expired\n";

}  // namespace

TEST_CASE("attempts: a flood of 60,000 distinct hosts does not reset a live sequence") {
    auto s = load_rules("  - match: {host: lync.test}\n    sequence: {first: 8}\n    certificate: expired\n");
    RuleSelector selector(s);
    auto lync = connection("lync.test");
    std::uint64_t expected = 1;
    for (int i = 0; i <= 60000; ++i) {
        if (i % 10000 == 0) {  // lync.test keeps connecting while the flood goes on
            auto choice = selector.on_connection(lync);
            CHECK(choice.attempt == expected);  // before: the table was cleared at 100,000 keys and lync.test began again at 1
            CHECK(choice.rule == &s->rules[0]);
            ++expected;
        }
        auto other = connection("host-" + std::to_string(i) + ".flood.test");
        selector.on_connection(other);
    }
    CHECK(selector.tracked_keys() <= 6 * RuleSelector::default_table_capacity);
}

TEST_CASE("attempts: the table is bounded and the least recently counted key is the one forgotten") {
    auto s = load_rules(first_two);
    RuleSelector selector(s, 8);
    auto lync = connection("lync.test");
    CHECK(selector.on_connection(lync).attempt == 1);
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 5; ++i) {  // fewer than the capacity between two uses of lync.test
            auto other = connection("other-" + std::to_string(round * 5 + i) + ".test");
            selector.on_connection(other);
        }
        CHECK(selector.on_connection(lync).attempt == static_cast<std::uint64_t>(round + 2));
    }
    CHECK(selector.tracked_keys() <= 6 * 8);
    for (int i = 0; i < 20; ++i) {
        auto other = connection("later-" + std::to_string(i) + ".test");
        selector.on_connection(other);
    }
    CHECK(selector.tracked_keys() <= 6 * 8);
    CHECK(selector.on_connection(lync).attempt == 1);  // idle longest, so evicted: counted afresh
}

TEST_CASE("attempts: hosts are counted lower-case, without a trailing dot, on their first 253 bytes") {
    auto s = load_rules(first_two);
    RuleSelector selector(s);
    auto a = connection("Lync.Test.");
    auto b = connection("lync.test");
    CHECK(selector.on_connection(a).attempt == 1);
    CHECK(selector.on_connection(b).attempt == 2);
    auto long_a = connection(std::string(253, 'x') + "-first");
    auto long_b = connection(std::string(253, 'x') + "-second");
    CHECK(selector.on_connection(long_a).attempt == 1);
    CHECK(selector.on_connection(long_b).attempt == 2);  // same first 253 bytes: one key
    CHECK(attempt_key(Sequence::Per::host, "c", std::string(60000, 'y')).size() == 253);
}
