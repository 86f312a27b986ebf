// Reading a request body only to drop it, in bounded chunks, so a client that uploads something
// still gets its answer without tlsfault holding the upload: the origin page and a scenario rule's
// canned answer both do this before they answer.
#pragma once

#include "proxy/core/net.hpp"
#include "proxy/relay/http_relay.hpp"

#include <chrono>
#include <cstdint>

namespace tlsfault::proxy {

/// Reads the rest of the request whose header `parser` holds and drops it; `bytes` counts the
/// body bytes read. Each read has `idle` to arrive. `Stream` is TlsStream or beast::tcp_stream.
template <class Stream>
net::awaitable<error_code> discard_body(Stream& stream, beast::flat_buffer& buffer, RequestParser& parser, std::chrono::milliseconds idle,
                                        std::uint64_t& bytes) {
    char scratch[16 * 1024];
    while (!parser.is_done()) {
        auto& body = parser.get().body();
        body.data = scratch;
        body.size = sizeof scratch;
        beast::get_lowest_layer(stream).expires_after(idle);
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, nothrow);
        bytes += sizeof scratch - body.size;
        if (ec && ec != http::error::need_buffer) co_return ec;
    }
    co_return error_code{};
}

}  // namespace tlsfault::proxy
