// One connection to the control API listener: read requests (body limit 1 MiB), check the
// token, dispatch through the route table, answer. A bad request costs that request (or that
// connection), never the engine.
#pragma once

#include "proxy/api/api_context.hpp"
#include "proxy/core/net.hpp"

namespace tlsfault::proxy {

/// The largest request body the API reads; larger gets 413.
inline constexpr std::size_t api_body_limit = 1024 * 1024;

net::awaitable<void> serve_api_connection(ApiContext& context, tcp::socket socket);

/// Folds new events into the connection store and metrics every second, so that nothing drops
/// out of the event ring unseen between two API calls. Runs until the io_context stops.
net::awaitable<void> fold_events_periodically(ApiContext& context);

}  // namespace tlsfault::proxy
