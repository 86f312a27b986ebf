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
    runtime.replace(1, edited);
    auto now = runtime.current();
    REQUIRE(now != in_flight);
    CHECK(now->selectors[0] == in_flight->selectors[0]);  // unchanged: the same selector, counts carry on
    CHECK(&now->selectors[1]->scenario() == edited.get());
    CHECK(&in_flight->selectors[1]->scenario() == second.get());  // what a connection already holds

    runtime.replace(2, first);  // no such place: nothing changes
    CHECK(runtime.current() == now);
}
