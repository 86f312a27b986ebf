// blackhole: accepts and never answers (Toxiproxy `timeout` with data dropped): what a firewall
// that silently drops traffic looks like to a client.
#pragma once

#include "scenarios/model/faults/fault_kind.hpp"

#include <chrono>

namespace tlsfault::scenarios {

/// Reads and discards everything; sends nothing. Closes after `timeout` (0: never; the
/// client's own timeout ends the connection).
struct BlackholeSettings {
    std::chrono::milliseconds timeout{0};
};

inline constexpr FaultAttribute blackhole_attributes[] = {
    {"timeout", "duration", "0ms", "close after this long; 0 keeps the connection open until the client gives up"},
};

BlackholeSettings parse_blackhole(const MapReader& attributes);

}  // namespace tlsfault::scenarios
