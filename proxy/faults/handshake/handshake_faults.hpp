// The handshake faults a rule's `tls` key asks for, run in order right after the ClientHello
// and before any byte of the ServerHello (each kind: one file in this folder).
#pragma once

#include "proxy/core/connection.hpp"
#include "proxy/core/net.hpp"

#include "scenarios/model/faults/fault_spec.hpp"

#include <cstdint>
#include <span>

namespace tlsfault::proxy::faults {

/// Emits one `fault` event per fault (type, detail and the kind's own fields), then runs it.
/// True when one ended the connection (its verdict is recorded); false: go on with the
/// handshake (`buffer` then holds what the client sent meanwhile).
net::awaitable<bool> run_handshake_faults(std::span<const scenarios::FaultSpec> faults, Connection& conn, beast::tcp_stream& stream,
                                          beast::flat_buffer& buffer, std::uint16_t client_version);

}  // namespace tlsfault::proxy::faults
