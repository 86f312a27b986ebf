// handshake_reset: a TCP RST right after the ClientHello, no alert (what many middleboxes do).
#pragma once

#include "scenarios/model/faults/fault_kind.hpp"

#include <span>

namespace tlsfault::scenarios {

/// Reads the ClientHello, then closes with SO_LINGER 0: the client sees "connection reset".
struct HandshakeResetSettings {};

inline constexpr std::span<const FaultAttribute> handshake_reset_attributes{};

template <>
struct FaultTraits<HandshakeResetSettings> {
    static constexpr FaultDecl decl{.name = "handshake_reset",
                                    .layer = FaultLayer::tls,
                                    .role = FaultRole::handshake,
                                    .summary = "TCP RST right after the ClientHello",
                                    .attributes = handshake_reset_attributes,
                                    .tls = {"reset_after_client_hello", ""}};
    static HandshakeResetSettings parse(const MapReader& attributes);
    static std::string describe(const HandshakeResetSettings& settings);
    static bool ends_connection(const HandshakeResetSettings& settings);
};

}  // namespace tlsfault::scenarios
