// ScenarioRuntime's swap on reload, without sockets: a replaced scenario gets a fresh selector
// in a new set; the other selectors (and their attempt counts) are shared; a set already handed
// to a connection never changes.
#include "proxy/scenario/scenario_runtime.hpp"

#include "tests/unit/scenarios/scenario_test_helpers.hpp"

#include "certgen/ca_store.hpp"

#include <doctest/doctest.h>

using namespace tlsfault;

TEST_CASE("scenario runtime: replace swaps one scenario for new connections, older sets stay as they were") {
    const auto cas = certgen::CaStore::in_memory();
    auto first = scenarios::test::load_rules("  - certificate: expired\n");
    auto second = scenarios::test::load_rules("  - certificate: self-signed\n");
    auto edited = scenarios::test::load_rules("  - certificate: wrong-host\n");
    proxy::ScenarioRuntime runtime({first, second}, cas);

    auto in_flight = runtime.current();
    CHECK(runtime.replace(second.get(), edited));
    auto now = runtime.current();
    REQUIRE(now != in_flight);
    CHECK(now->selectors[0] == in_flight->selectors[0]);  // unchanged: the same selector, counts carry on
    CHECK(&now->selectors[1]->scenario() == edited.get());
    CHECK(&in_flight->selectors[1]->scenario() == second.get());  // what a connection already holds

    CHECK_FALSE(runtime.replace(second.get(), first));  // no longer active: nothing changes
    CHECK(runtime.current() == now);
}

TEST_CASE("scenario runtime: set_active keeps the selectors of scenarios that stay, reset_counts renews them all") {
    const auto cas = certgen::CaStore::in_memory();
    auto first = scenarios::test::load_rules("  - certificate: expired\n");
    auto second = scenarios::test::load_rules("  - certificate: self-signed\n");
    proxy::ScenarioRuntime runtime({first}, cas);
    auto before = runtime.current();

    runtime.set_active({second, first});
    auto now = runtime.current();
    REQUIRE(now->selectors.size() == 2);
    CHECK(&now->selectors[0]->scenario() == second.get());
    CHECK(now->selectors[1] == before->selectors[0]);  // first stayed: same selector, same counts
    REQUIRE(runtime.active().size() == 2);
    CHECK(runtime.active()[0] == second);

    runtime.reset_counts();
    auto reset = runtime.current();
    CHECK(reset->selectors[1] != now->selectors[1]);
    CHECK(&reset->selectors[1]->scenario() == first.get());

    runtime.set_active({});
    CHECK(runtime.current()->selectors.empty());
}
