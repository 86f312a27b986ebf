// The request phase of a scenario connection: each request is offered to the scenarios' rules;
// a rule with `http` is answered here byte for byte (status, reason phrase, headers in order,
// body, and the breakage it asks for). The first request no rule answers goes back to the
// engine's default (origin page or forwarding).
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
/// is done (keep-alive ended, an error, or a rule broke the response on purpose).
net::awaitable<RequestParser*> answer_scenario_requests(EngineState& state, Connection& conn, TlsStream& tls,
                                                        beast::flat_buffer& buffer, RequestParser& first,
                                                        std::optional<RequestParser>& next, ScenarioConnection& sc);

}  // namespace tlsfault::proxy
