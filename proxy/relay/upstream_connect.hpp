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

/// What one attempt at a new TLS connection upstream came to: the connection (its stream null on
/// failure) and what its `upstream` event says. Made without a client Connection, so an attempt
/// begun early (proxy/relay/early_upstream.hpp) may outlive the client that caused it.
struct TlsUpstreamAttempt {
    PooledUpstream up;
    const char* stage = nullptr;  ///< on failure: "connect" or "tls"
    std::string error;            ///< on failure
    std::string verify_error;     ///< on a failed verification
    const char* tls_version = nullptr;
    bool verified = false;
    bool resumed = false;
};

/// A new TLS connection to `target` whose certificate is checked for `name` (unless verification
/// is off). A target that resolves to one of tlsfault's own listeners is refused. With a `pool`,
/// the session remembered for `key` is offered (`resumed` says whether the server took it);
/// without one the handshake is always full.
net::awaitable<TlsUpstreamAttempt> attempt_tls_upstream(EngineState& state, HostPort target, std::string name, UpstreamPool* pool,
                                                        std::string key);

/// The `upstream` event of `attempt` on `conn`; `early`: the attempt began before the request.
void emit_upstream_attempt(Connection& conn, const HostPort& target, const TlsUpstreamAttempt& attempt, bool early);

/// attempt_tls_upstream, its event on `conn`, then the connection (a null stream on failure).
net::awaitable<PooledUpstream> connect_tls_upstream(EngineState& state, Connection& conn, const HostPort& target, const std::string& name,
                                                    UpstreamPool* pool, const std::string& key);

/// The `upstream` event of a connection taken from the pool (`reused: true`, no handshake).
void emit_reused_upstream(EngineState& state, Connection& conn, const HostPort& target, const PooledUpstream& up);

}  // namespace tlsfault::proxy
