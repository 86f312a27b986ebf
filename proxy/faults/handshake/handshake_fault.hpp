// What a handshake (tls-layer) fault gets: the client's stream right after its ClientHello,
// before any byte of the ServerHello. Each tls kind is one .cpp in this folder that defines
// run_handshake_fault for its settings; nothing here goes through OpenSSL, so what the client
// receives (an alert, a reset, a FIN, silence) is exactly what the rule names.
#pragma once

#include "proxy/core/connection.hpp"
#include "proxy/core/net.hpp"
#include "proxy/core/verdict.hpp"

#include <cstdint>
#include <optional>

namespace tlsfault::proxy::faults {

/// The connection a handshake fault acts on.
struct HandshakeFaultContext {
    Connection& conn;
    beast::tcp_stream& stream;
    beast::flat_buffer& buffer;    ///< the handshake bytes read so far; a stall keeps what arrives meanwhile
    std::uint16_t client_version;  ///< the ClientHello's legacy_version (an alert record echoes it)
    JsonLine fault_event;          ///< `fault` with type and detail; the kind adds its fields and emits it
    void announce() { conn.emit(fault_event); }
};

/// Runs one handshake fault. nullopt: the handshake goes on; else the connection ended and this
/// is its verdict. Declared only: each tls kind's file here defines the specialisation for its
/// settings (a kind declared FaultRole::handshake without one fails at link time).
template <class Settings>
net::awaitable<std::optional<Verdict>> run_handshake_fault(const Settings& settings, HandshakeFaultContext& context);

}  // namespace tlsfault::proxy::faults
