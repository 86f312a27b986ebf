// One read that skips the event loop when it can. TlsStream::read_now takes records already
// received, or reads the socket the idle wait saw readable, with no operation, timer or
// event-loop turn; only a read that must wait goes through async_read_some. The two halves are
// apart so that a read answered at once costs no coroutine frame either: the caller writes
//
//     if (!read_at_once(stream, buffer, ec, n)) std::tie(ec, n) = co_await read_some_later(stream, buffer, n, before_wait);
#pragma once

#include "proxy/core/net.hpp"

#include <tuple>

namespace tlsfault::proxy {

/// The read done at once, if it can be: true when records already received (or the readable
/// socket) answered it with bytes or an error and nothing is left to send; `ec` and `n` are then
/// the result, as async_read_some reports it. False: await read_some_later, passing `n`.
template <class Stream>
bool read_at_once(Stream& stream, net::mutable_buffer buffer, error_code& ec, std::size_t& n) {
    ec = {};
    n = 0;
    if constexpr (requires { stream.read_now(buffer, ec); }) {
        n = stream.read_now(buffer, ec);
        return ec || (n > 0 && !stream.flush_pending());
    }
    return false;
}

/// The rest of a read read_at_once did not finish: the records its read answered that the
/// socket did not take (a renegotiation), then, if it got no bytes (`already`), a wait in the
/// event loop. `before_wait` runs before each wait (the caller's deadline).
template <class Stream, class BeforeWait>
net::awaitable<std::tuple<error_code, std::size_t>> read_some_later(Stream& stream, net::mutable_buffer buffer, std::size_t already,
                                                                    BeforeWait before_wait) {
    if constexpr (requires { stream.flush_pending(); }) {
        if (stream.flush_pending()) {
            before_wait();
            auto [flush_ec] = co_await stream.async_flush(nothrow);
            if (already > 0 || flush_ec) co_return std::tuple{flush_ec, already};
        }
    }
    before_wait();
    co_return co_await stream.async_read_some(buffer, nothrow);
}

}  // namespace tlsfault::proxy
