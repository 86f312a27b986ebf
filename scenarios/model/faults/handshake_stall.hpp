// handshake_stall: holds the ServerHello back for a while (a slow or overloaded TLS terminator).
#pragma once

#include "scenarios/model/faults/fault_kind.hpp"

#include <chrono>

namespace tlsfault::scenarios {

/// After the ClientHello, wait `duration`, then either go on with the handshake or close.
struct HandshakeStallSettings {
    enum class Then { resume, close };
    std::chrono::milliseconds duration{0};
    Then then = Then::resume;
};

inline constexpr FaultAttribute handshake_stall_attributes[] = {
    {"duration", "duration", "", "how long the ServerHello is held back, e.g. 10s"},
    {"then", "word", "resume", "resume the handshake, or close the connection (FIN)"},
};

template <>
struct FaultTraits<HandshakeStallSettings> {
    static constexpr FaultDecl decl{.name = "handshake_stall",
                                    .layer = FaultLayer::tls,
                                    .role = FaultRole::handshake,
                                    .summary = "hold the ServerHello back, then resume or close",
                                    .attributes = handshake_stall_attributes,
                                    .tls = {"stall", "duration"}};
    static HandshakeStallSettings parse(const MapReader& attributes);
    static std::string describe(const HandshakeStallSettings& settings);
};

}  // namespace tlsfault::scenarios
