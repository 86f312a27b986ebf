// Connecting to the real server behind an intercepted host: resolve, TCP connect with a
// timeout, and for TLS a verified handshake. Each attempt is one `upstream` event.
#pragma once

#include "proxy/core/net.hpp"
#include "proxy/core/connection.hpp"
#include "proxy/core/engine_state.hpp"

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

/// A TLS stream to `target` whose certificate is checked for `name` (unless verification is off),
/// or nullptr (the failure, with the verification error, is logged on `conn`). A target that
/// resolves to one of tlsfault's own listeners is refused.
net::awaitable<std::unique_ptr<TlsStream>> connect_tls_upstream(EngineState& state, Connection& conn, const HostPort& target,
                                                                const std::string& name);

}  // namespace tlsfault::proxy
