// Connecting to the real server behind an intercepted host: resolve, TCP connect with a
// timeout, and for TLS a verified handshake. Each attempt is one `upstream` event.
#pragma once

#include "proxy/core/net.hpp"
#include "proxy/core/connection.hpp"
#include "proxy/core/engine_state.hpp"
#include "proxy/relay/upstream_pool.hpp"

#include <memory>

namespace tlsfault::proxy {

/// Whether an upstream connection may lead back into one of tlsfault's own listeners.
enum class OwnListenerPolicy {
    refuse,  ///< tunnels and TLS forwarding: a loop back into tlsfault could nest without end
    allow,   ///< plain-HTTP forwarding: the request goes on in origin form, so it cannot nest (a
             ///< CRL fetch through the explicit proxy to the revocation listener is normal)
};

/// A plain TCP stream to `target`, or nullptr (the failure is logged on `conn`).
net::awaitable<std::unique_ptr<beast::tcp_stream>> connect_plain_upstream(EngineState& state, Connection& conn, const HostPort& target,
                                                                          OwnListenerPolicy policy);

/// A new TLS connection to `target` whose certificate is checked for `name` (unless verification
/// is off); its stream is null on failure (logged on `conn`, with the verification error). A
/// target that resolves to one of tlsfault's own listeners is refused. With a `pool`, the
/// session remembered for `key` is offered (the event says whether the server resumed it);
/// without one the handshake is always full.
net::awaitable<PooledUpstream> connect_tls_upstream(EngineState& state, Connection& conn, const HostPort& target, const std::string& name,
                                                    UpstreamPool* pool, const std::string& key);

/// The `upstream` event of a connection taken from the pool (`reused: true`, no handshake).
void emit_reused_upstream(EngineState& state, Connection& conn, const HostPort& target, const PooledUpstream& up);

}  // namespace tlsfault::proxy
