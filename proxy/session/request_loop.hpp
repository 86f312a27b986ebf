// Every request on one accepted TLS connection, one at a time: the scenario rules first (each
// request counts as a request attempt), then the engine's default answer — the origin page, or
// the relay to the upstream. A kept-alive connection goes round again, so a rule's answer and
// the default can alternate on one connection, each request getting its own.
#pragma once

#include "proxy/core/engine_config.hpp"
#include "proxy/core/net.hpp"
#include "proxy/origin/origin_page.hpp"
#include "proxy/relay/http_relay.hpp"
#include "proxy/core/engine_state.hpp"

#include <string>

namespace tlsfault::proxy {

class ScenarioSession;

/// The engine's answer to requests no rule answers, fixed for the connection.
struct DefaultAnswer {
    bool origin = true;         ///< the origin page; else relayed to `destination`
    HostPort destination;       ///< the upstream (used when !origin)
    std::string upstream_name;  ///< the name the upstream's certificate is checked against
    OriginFacts facts;          ///< what the origin page shows
};

/// Answers requests, starting with the one whose header is in `first`, until keep-alive ends.
net::awaitable<void> serve_requests(EngineState& state, ScenarioSession& session, TlsStream& tls, beast::flat_buffer& buffer,
                                    RequestParser& first, const DefaultAnswer& answer);

}  // namespace tlsfault::proxy
