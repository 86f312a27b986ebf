// Origin mode on one accepted TLS connection: answer a request with the origin page. No
// upstream is ever contacted.
#pragma once

#include "proxy/core/net.hpp"
#include "proxy/origin/origin_page.hpp"
#include "proxy/relay/http_relay.hpp"
#include "proxy/core/connection.hpp"

namespace tlsfault::proxy {

/// Answers the request whose header is in `parser`. `facts` carries the connection's certificate
/// and TLS details; the request fields are filled in here. True when the connection stays open
/// for another request.
net::awaitable<bool> answer_origin_request(TlsStream& stream, beast::flat_buffer& buffer, RequestParser& parser, OriginFacts facts,
                                           Connection& conn, const EngineConfig& config);

}  // namespace tlsfault::proxy
