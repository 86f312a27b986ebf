// slow_close: delays the close of the connection (Toxiproxy `slow_close`).
#pragma once

#include "scenarios/model/faults/fault_kind.hpp"

#include <chrono>

namespace tlsfault::scenarios {

/// When either side closes, the close is passed on only after `delay`.
struct SlowCloseSettings {
    std::chrono::milliseconds delay{0};
};

inline constexpr FaultAttribute slow_close_attributes[] = {
    {"delay", "duration", "", "how long the close is held back"},
};

template <>
struct FaultTraits<SlowCloseSettings> {
    static constexpr FaultDecl decl{.name = "slow_close",
                                    .layer = FaultLayer::tcp,
                                    .role = FaultRole::chain,
                                    .summary = "hold the close back for a while",
                                    .attributes = slow_close_attributes};
    static SlowCloseSettings parse(const MapReader& attributes);
    static std::string describe(const SlowCloseSettings& settings);
};

}  // namespace tlsfault::scenarios
