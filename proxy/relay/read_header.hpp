// One loop that reads a message header, for the client's requests and the upstream's
// responses alike: http::async_read_header's loop and errors, without its two layers of
// composed operations (each with its own executor and work guard), and with reads of
// header_read_room bytes where Beast reads 512 at a time into an empty buffer (a browser's
// ~1 KiB request header was three reads, each a full pass through the TLS stream).
#pragma once

#include "proxy/core/idle_wait.hpp"
#include "proxy/core/net.hpp"
#include "proxy/core/read_soon.hpp"
#include "proxy/relay/message_head.hpp"

#include <boost/beast/http/error.hpp>

#include <type_traits>

namespace tlsfault::proxy {

/// Room given to each read of a header: a common request or response header in one read
/// (nginx's proxy_buffer_size).
constexpr std::size_t header_read_room = 4 * 1024;

/// Reads from `stream` into `buffer` until `parser` holds a whole header. A Beast parser takes
/// the header's bytes out of `buffer` (any body bytes read with it stay there); a
/// ResponseHeadParser leaves them at its front (`peek_response_head`). Errors as
/// http::async_read_header reports them: end_of_stream when the peer closed before a byte,
/// partial_message (or the parser's own error) when it closed mid-header. The caller sets the
/// stream's deadline.
///
/// With `edge` (a TLS upstream's response), a read that finds nothing waits for the socket's
/// readable edge (idle_wait.hpp) and then reads at once, under `edge`'s deadline for the whole
/// header (beast::error::timeout, as the stream's deadline would say): Beast's read would first
/// try the socket once more (a system call that finds nothing while the upstream thinks) and
/// arm and cancel its timer. The read after the edge drains the socket, as the edge wait's
/// contract asks (TlsStream reads until a read comes back short).
template <class Stream, class Parser>
net::awaitable<error_code> read_whole_header(Stream& stream, beast::flat_buffer& buffer, Parser& parser, IdleWatch* edge = nullptr) {
    IdleWatch::Clock::time_point due{};  // set at the first edge wait
    for (;;) {
        if (buffer.size() > 0) {
            error_code ec;
            bool done;
            if constexpr (std::is_same_v<Parser, ResponseHeadParser>) {
                done = parser.parse(buffer.data(), ec);
            } else {
                buffer.consume(parser.put(buffer.data(), ec));
                done = !ec && parser.is_header_done();
            }
            if (done) co_return error_code{};
            if (ec && ec != http::error::need_more) co_return ec;
        }
        // A request the idle wait saw arrive is read at once.
        error_code ec;
        std::size_t n = 0;
        const auto room = buffer.prepare(header_read_room);
        bool done = read_at_once(stream, room, ec, n);
        if constexpr (std::is_same_v<Stream, TlsStream>) {
            if (!done && edge && n == 0 && !stream.flush_pending()) {
                if (due == IdleWatch::Clock::time_point{}) due = IdleWatch::Clock::now() + edge->limit();
                edge->begin(due);
                auto [wait_ec] = co_await wait_readable(stream);
                if (!edge->readable(wait_ec)) co_return edge->expired() ? error_code(beast::error::timeout) : wait_ec;
                stream.note_readable();
                done = read_at_once(stream, room, ec, n);
            }
        }
        if (!done) std::tie(ec, n) = co_await read_some_later(stream, room, n, [] {});
        buffer.commit(n);
        if (ec == net::error::eof) {
            if (!parser.got_some()) co_return http::error::end_of_stream;
            error_code eof_ec;
            parser.put_eof(eof_ec);
            co_return eof_ec ? eof_ec : error_code(http::error::partial_message);
        }
        if (ec) co_return ec;
    }
}

}  // namespace tlsfault::proxy
