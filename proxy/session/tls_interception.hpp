// The life of an intercepted TLS connection, top to bottom: read the ClientHello -> route ->
// certificate -> handshake with the bytes already read -> verdict -> origin answer or relay.
#pragma once

#include "proxy/core/engine_config.hpp"
#include "proxy/core/net.hpp"
#include "proxy/core/connection.hpp"
#include "proxy/core/engine_state.hpp"

#include <optional>
#include <string>

namespace tlsfault::proxy {

/// Where the client meant to go, as far as the listener knows before the ClientHello.
struct InterceptTarget {
    std::string fallback_host;            ///< used when the ClientHello has no SNI (CONNECT host, local IP)
    std::optional<HostPort> destination;  ///< CONNECT target or original destination; forwarding goes here
    bool may_forward = false;             ///< non-lab hosts are forwarded (else origin mode)
    bool tunnel_non_tls = false;          ///< non-TLS bytes are tunnelled raw to `destination`
};

/// Runs the connection to its end. `buffer` may already hold bytes read from `stream` (it is
/// moved from). The caller keeps `stream` and `target` alive until the returned awaitable
/// completes (it co_awaits it at once): taken by reference, they take no room in a frame that a
/// kept-alive connection holds.
net::awaitable<void> intercept_tls(EngineState& state, Connection& conn, beast::tcp_stream& stream, beast::flat_buffer&& buffer,
                                   InterceptTarget&& target);

}  // namespace tlsfault::proxy
