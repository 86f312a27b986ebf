// The engine's runtime fault table against the model's registry: every kind the scenario files
// accept has, under the same name and in the same order, the runtime its role says it needs.
// (A chain or handshake kind without its runtime file does not link; this checks the table.)
#include "proxy/faults/fault_kinds.hpp"

#include "scenarios/model/faults/fault_registry.hpp"

#include <doctest/doctest.h>

#include <chrono>

using namespace tlsfault;
using scenarios::FaultRole;
using namespace std::chrono_literals;

TEST_CASE("fault kinds: the runtime table mirrors the registry, role by role") {
    const auto model = scenarios::builtin_fault_registry().kinds();
    const auto runtime = proxy::faults::runtime_fault_kinds();
    REQUIRE(model.size() == runtime.size());
    for (std::size_t i = 0; i < model.size(); ++i) {
        CAPTURE(model[i].name);
        CHECK(runtime[i].name == model[i].name);
        CHECK(runtime[i].role == model[i].role);
        CHECK(proxy::faults::find_runtime_fault(model[i].name) == &runtime[i]);
        CHECK((runtime[i].make_link != nullptr) == (model[i].role == FaultRole::chain));
        CHECK((runtime[i].run_handshake != nullptr) == (model[i].role == FaultRole::handshake));
        CHECK((model[i].role == FaultRole::handshake) == (model[i].layer == scenarios::FaultLayer::tls));
        CHECK(model[i].describe(model[i].defaults()).size() > 0);
    }
    CHECK(proxy::faults::find_runtime_fault("no_such_kind") == nullptr);
}

TEST_CASE("fault kinds: which ones end the connection, as begin_scenario and the tls loader ask") {
    using namespace scenarios;
    CHECK(ends_connection(LimitDataSettings{100}));
    CHECK(ends_connection(ResetSettings{2s}));
    CHECK_FALSE(ends_connection(ResetSettings{0ms}));  // at once: over before the session starts
    CHECK_FALSE(ends_connection(LatencySettings{300ms, 0ms}));
    CHECK_FALSE(ends_connection(BlackholeSettings{}));
    CHECK(ends_connection(TlsAlertSettings{}));
    CHECK(ends_connection(HandshakeResetSettings{}));
    CHECK(ends_connection(HandshakeCloseSettings{}));
    CHECK_FALSE(ends_connection(HandshakeStallSettings{}));  // may resume the handshake
    CHECK(&kind_of(LatencySettings{}) == builtin_fault_registry().find("latency"));
    CHECK(proxy::faults::runtime_fault_of(SlicerSettings{}).name == "slicer");
}
