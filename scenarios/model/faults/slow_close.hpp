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

SlowCloseSettings parse_slow_close(const MapReader& attributes);

}  // namespace tlsfault::scenarios
