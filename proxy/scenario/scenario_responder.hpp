// The request phase of a scenario connection: each request is offered to the scenarios' rules;
// a rule with `http` is answered here byte for byte (status, reason phrase, headers in order,
// body, and the breakage it asks for). A request no rule answers goes back to the engine's
// default (origin page or forwarding); the next request on the connection is offered again.
// Inside TLS (TlsStream) and on a plain-HTTP explicit-proxy connection (beast::tcp_stream) alike.
#pragma once

#include "proxy/core/net.hpp"
#include "proxy/relay/http_relay.hpp"
#include "proxy/scenario/expectation_judge.hpp"
#include "proxy/scenario/scenario_runtime.hpp"
#include "proxy/core/connection.hpp"
#include "proxy/core/engine_state.hpp"

namespace tlsfault::proxy {

/// What the scenario rules did with one request.
enum class RuleAnswer {
    none,      ///< no rule answers it: the engine's default answers
    forward,   ///< a rule says `http: forward`: relayed upstream even for a host a scenario names
    answered,  ///< a rule answered it; the connection stays open for the next request
    closed,    ///< a rule answered it (or reading it failed) and the connection is done
};

/// Offers the request whose header is in `parser` to the rules (counting it as a request
/// attempt) and answers it when a rule with an http answer matches, telling `judge` before and
/// after the answer. `Stream` is TlsStream or beast::tcp_stream (instantiated for those two).
template <class Stream>
net::awaitable<RuleAnswer> answer_scenario_request(EngineState& state, Connection& conn, Stream& stream, beast::flat_buffer& buffer,
                                                   RequestParser& parser, const ScenarioConnection& sc, ExpectationJudge& judge);

}  // namespace tlsfault::proxy
