// A raw byte tunnel between two streams (non-HTTP payloads): one pump per direction, run
// together; a direction that ends half-closes the other side so bytes in flight still arrive.
#pragma once

#include "proxy/core/net.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

#include <chrono>
#include <cstdint>
#include <memory>

namespace tlsfault::proxy {

namespace detail {

template <class In, class Out>
net::awaitable<void> pump(In& in, Out& out, std::chrono::milliseconds idle, std::uint64_t& moved) {
    constexpr std::size_t chunk_size = 64 * 1024;         // bounded: one chunk per direction in flight
    std::unique_ptr<char[]> chunk(new char[chunk_size]);  // not zeroed: written before read
    for (;;) {
        beast::get_lowest_layer(in).expires_after(idle);
        auto [rec, n] = co_await in.async_read_some(net::buffer(chunk.get(), chunk_size), nothrow);
        if (n > 0) {
            beast::get_lowest_layer(out).expires_after(idle);
            auto [wec, w] = co_await net::async_write(out, net::buffer(chunk.get(), n), nothrow);
            moved += w;
            if (wec) break;
        }
        if (rec) break;
    }
    error_code ignored;
    beast::get_lowest_layer(out).socket().shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace detail

/// Copies bytes both ways until both directions end. `a_pending` (bytes already read from `a`)
/// is written to `b` first.
template <class A, class B>
net::awaitable<void> tunnel_bytes(A& a, B& b, net::const_buffer a_pending, std::chrono::milliseconds idle, std::uint64_t& a_to_b,
                                  std::uint64_t& b_to_a) {
    using namespace net::experimental::awaitable_operators;
    if (a_pending.size() > 0) {
        beast::get_lowest_layer(b).expires_after(idle);
        auto [ec, n] = co_await net::async_write(b, a_pending, nothrow);
        a_to_b += n;
        if (ec) co_return;
    }
    co_await (detail::pump(a, b, idle, a_to_b) && detail::pump(b, a, idle, b_to_a));
}

}  // namespace tlsfault::proxy
