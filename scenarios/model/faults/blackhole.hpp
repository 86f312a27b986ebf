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

template <>
struct FaultTraits<BlackholeSettings> {
    static constexpr FaultDecl decl{.name = "blackhole",
                                    .layer = FaultLayer::tcp,
                                    .role = FaultRole::whole_connection,
                                    .summary = "accept and never answer",
                                    .attributes = blackhole_attributes};
    static BlackholeSettings parse(const MapReader& attributes);
    static std::string describe(const BlackholeSettings& settings);
};

}  // namespace tlsfault::scenarios
