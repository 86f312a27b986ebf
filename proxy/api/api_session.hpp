// One connection to the control API listener: read requests (body limit 1 MiB), check the
// token, dispatch through the route table, answer. A bad request costs that request (or that
// connection), never the engine.
#pragma once

#include "proxy/api/api_context.hpp"
#include "proxy/net.hpp"

namespace tlsfault::proxy {

/// The largest request body the API reads; larger gets 413.
inline constexpr std::size_t api_body_limit = 1024 * 1024;

net::awaitable<void> serve_api_connection(ApiContext& context, tcp::socket socket);

}  // namespace tlsfault::proxy
