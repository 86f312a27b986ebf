// reset: ends the connection with a TCP RST (Toxiproxy `reset_peer`).
#pragma once

#include "scenarios/model/faults/fault_kind.hpp"

#include <chrono>

namespace tlsfault::scenarios {

/// After `timeout` from the start of the connection (0: at once), close with SO_LINGER 0 so
/// the peer sees a reset ("connection reset by peer") instead of a FIN.
struct ResetSettings {
    std::chrono::milliseconds timeout{0};
};

inline constexpr FaultAttribute reset_attributes[] = {
    {"timeout", "duration", "0ms", "time from the start of the connection to the reset"},
};

template <>
struct FaultTraits<ResetSettings> {
    static constexpr FaultDecl decl{.name = "reset",
                                    .layer = FaultLayer::tcp,
                                    .role = FaultRole::whole_connection,
                                    .summary = "reset the connection (TCP RST) after a timeout",
                                    .attributes = reset_attributes};
    static ResetSettings parse(const MapReader& attributes);
    static std::string describe(const ResetSettings& settings);
    static bool ends_connection(const ResetSettings& settings);
};

}  // namespace tlsfault::scenarios
