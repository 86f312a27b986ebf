// handshake_reset: a TCP RST right after the ClientHello, no alert (what many middleboxes do).
#pragma once

#include "scenarios/model/faults/fault_kind.hpp"

#include <span>

namespace tlsfault::scenarios {

/// Reads the ClientHello, then closes with SO_LINGER 0: the client sees "connection reset".
struct HandshakeResetSettings {};

inline constexpr std::span<const FaultAttribute> handshake_reset_attributes{};

HandshakeResetSettings parse_handshake_reset(const MapReader& attributes);

}  // namespace tlsfault::scenarios
