// A plain `http://` request through the explicit proxy (absolute form, or an OCSP POST): the
// scenarios are asked first, as for a CONNECT — host and port from the URL, no ClientHello —
// so a rule's tcp faults, `http` answers and `expect` apply to revocation fetches and other
// plain traffic; what no rule answers is forwarded as before.
#pragma once

#include "proxy/core/connection.hpp"
#include "proxy/core/engine_state.hpp"
#include "proxy/core/net.hpp"
#include "proxy/relay/http_relay.hpp"

namespace tlsfault::proxy {

/// Serves the connection from its first plain-HTTP request (header in `parser`, its target
/// already known to be an absolute http:// URL) to its end, recording the verdict.
net::awaitable<void> serve_plain_http(EngineState& state, Connection& conn, beast::tcp_stream stream, beast::flat_buffer buffer,
                                      RequestParser& parser);

}  // namespace tlsfault::proxy
