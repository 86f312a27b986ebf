// The handshake faults a rule's `tls` key asks for, right after the ClientHello and before any
// byte of the ServerHello: a fatal alert tlsfault writes itself, a TCP reset, or a stall.
#pragma once

#include "proxy/core/net.hpp"
#include "proxy/core/verdict.hpp"

#include "scenarios/model/faults/handshake_stall.hpp"
#include "scenarios/model/faults/tls_alert_fault.hpp"

#include <chrono>
#include <cstdint>
#include <optional>

namespace tlsfault::proxy {

/// Writes one plaintext fatal alert record, then keeps reading for the linger (real clients only
/// report the alert once they read it, and an early close turns it into "broken pipe"), then FIN.
/// The verdict says what the client did meanwhile, with `sent_alert` set.
net::awaitable<Verdict> async_send_alert(beast::tcp_stream& stream, const scenarios::TlsAlertSettings& settings,
                                         std::uint16_t client_version);

/// Sends FIN right after the ClientHello (no ServerHello, no alert), then reads until the client
/// closes too (at most `close_linger`), so its last bytes do not turn the close into a reset.
/// Outcome `closed`: the reason says tlsfault closed, and what the client did then.
net::awaitable<Verdict> async_close_after_hello(beast::tcp_stream& stream);
inline constexpr std::chrono::milliseconds close_linger{5000};

/// Closes with SO_LINGER 0, so the client sees a TCP reset in the middle of its handshake.
Verdict reset_connection(beast::tcp_stream& stream);

/// Holds the ServerHello back for the stall's duration, reading (and keeping, in `buffer`)
/// whatever the client sends. nullopt: go on with the handshake; else the connection ended
/// (the client gave up, or the stall says close) and this is its verdict.
net::awaitable<std::optional<Verdict>> async_stall(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                                   const scenarios::HandshakeStallSettings& settings);

}  // namespace tlsfault::proxy
