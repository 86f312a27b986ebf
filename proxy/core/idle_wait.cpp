// The wait between requests; see idle_wait.hpp.
#include "proxy/core/idle_wait.hpp"

#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/steady_timer.hpp>

namespace tlsfault::proxy {

net::awaitable<bool> wait_until_readable(beast::tcp_stream& stream, std::chrono::milliseconds idle) {
    // The timer lives in this frame and the group waits for both operations to end (the loser
    // is cancelled), so no handler outlives what it refers to.
    net::steady_timer timer(stream.get_executor(), idle);
    auto [order, wait_ec, timer_ec] =
        co_await net::experimental::make_parallel_group(stream.socket().async_wait(tcp::socket::wait_read, net::deferred),
                                                        timer.async_wait(net::deferred))
            .async_wait(net::experimental::wait_for_one(), net::use_awaitable);
    if (order[0] == 0) co_return !wait_ec;
    stream.close();
    co_return false;
}

}  // namespace tlsfault::proxy
