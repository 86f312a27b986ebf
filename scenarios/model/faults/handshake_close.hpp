// handshake_close: an orderly close (FIN, no alert) right after the ClientHello — what a server
// that does not like the hello, or a middlebox that drops it politely, does. .NET reports it as
// "Authentication failed because the remote party has closed the transport stream".
#pragma once

#include "scenarios/model/faults/fault_kind.hpp"

#include <span>

namespace tlsfault::scenarios {

/// Reads the ClientHello, then sends FIN: no ServerHello, no alert, no reset.
struct HandshakeCloseSettings {};

inline constexpr std::span<const FaultAttribute> handshake_close_attributes{};

template <>
struct FaultTraits<HandshakeCloseSettings> {
    static constexpr FaultDecl decl{.name = "handshake_close",
                                    .layer = FaultLayer::tls,
                                    .role = FaultRole::handshake,
                                    .summary = "orderly close (FIN, no alert) right after the ClientHello",
                                    .attributes = handshake_close_attributes,
                                    .tls = {"close_after_client_hello", ""}};
    static HandshakeCloseSettings parse(const MapReader& attributes);
    static std::string describe(const HandshakeCloseSettings& settings);
    static bool ends_connection(const HandshakeCloseSettings& settings);
};

}  // namespace tlsfault::scenarios
