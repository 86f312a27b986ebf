// Origin mode on one accepted TLS connection: answer every request with the origin page until
// the client stops keep-alive. No upstream is ever contacted.
#pragma once

#include "proxy/net.hpp"
#include "proxy/origin/origin_page.hpp"
#include "proxy/relay/http_relay.hpp"
#include "proxy/session/connection.hpp"

namespace tlsfault::proxy {

/// `facts` carries the connection's certificate and TLS details; the request fields are filled in here.
net::awaitable<void> serve_origin(TlsStream& stream, beast::flat_buffer& buffer, RequestParser& first, OriginFacts facts,
                                  Connection& conn, const EngineConfig& config);

}  // namespace tlsfault::proxy
