// One read that skips the event loop when it can. TlsStream::read_now takes records already
// received, or reads the socket the idle wait saw readable, with no operation, timer or
// event-loop turn; only a read that must wait goes through async_read_some.
#pragma once

#include "proxy/core/net.hpp"

#include <tuple>

namespace tlsfault::proxy {

/// Some bytes from `stream` into `buffer`, with errors as async_read_some reports them.
/// `before_wait` runs before each wait in the event loop (the caller's deadline): a read done at
/// once needs none.
template <class Stream, class BeforeWait>
net::awaitable<std::tuple<error_code, std::size_t>> read_some_soon(Stream& stream, net::mutable_buffer buffer, BeforeWait before_wait) {
    if constexpr (requires(error_code ec) { stream.read_now(buffer, ec); }) {
        error_code ec;
        const std::size_t n = stream.read_now(buffer, ec);
        if (!ec && stream.flush_pending()) {  // records the read answered (a renegotiation) that the socket did not take
            before_wait();
            auto [flush_ec] = co_await stream.async_flush(nothrow);
            ec = flush_ec;
        }
        if (n > 0 || ec) co_return std::tuple{ec, n};
    }
    before_wait();
    co_return co_await stream.async_read_some(buffer, nothrow);
}

}  // namespace tlsfault::proxy
