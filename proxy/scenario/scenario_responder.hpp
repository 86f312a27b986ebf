// The request phase of a scenario connection: each request is offered to the scenarios' rules;
// a rule with `http` is answered here byte for byte (status, reason phrase, headers in order,
// body, and the breakage it asks for). The first request no rule answers goes back to the
// engine's default (origin page or forwarding). Inside TLS (TlsStream) and on a plain-HTTP
// explicit-proxy connection (beast::tcp_stream) alike.
#pragma once

#include "proxy/net.hpp"
#include "proxy/relay/http_relay.hpp"
#include "proxy/scenario/scenario_runtime.hpp"
#include "proxy/session/connection.hpp"
#include "proxy/session/engine_state.hpp"

#include <optional>

namespace tlsfault::proxy {

/// Answers requests while rules match them, starting with the one whose header is in `first`.
/// Returns the parser holding a request for the default answer, or nullptr when the connection
/// is done (keep-alive ended, an error, or a rule broke the response on purpose). `Stream` is
/// TlsStream or beast::tcp_stream (instantiated for those two).
template <class Stream>
net::awaitable<RequestParser*> answer_scenario_requests(EngineState& state, Connection& conn, Stream& stream,
                                                        beast::flat_buffer& buffer, RequestParser& first,
                                                        std::optional<RequestParser>& next, ScenarioConnection& sc);

}  // namespace tlsfault::proxy
