// The HTTP/1.1 relay: requests from the client to an upstream and responses back, streamed in
// bounded chunks (Beast's buffer_body relay pattern), keep-alive, chunked encoding re-framed by
// the serializer, reason phrases kept as the upstream sent them.
#pragma once

#include "proxy/core/engine_config.hpp"
#include "proxy/core/net.hpp"
#include "proxy/core/read_soon.hpp"
#include "proxy/relay/byte_tunnel.hpp"
#include "proxy/relay/message_head.hpp"
#include "proxy/relay/read_header.hpp"
#include "proxy/relay/relay_scratch_shelf.hpp"
#include "proxy/relay/simple_response.hpp"
#include "proxy/core/connection.hpp"

#include <boost/beast/http.hpp>

#include <algorithm>
#include <memory>
#include <optional>

namespace tlsfault::proxy {

using RequestParser = http::request_parser<http::buffer_body>;
using ResponseParser = http::response_parser<http::buffer_body>;

/// The relay's scratch for one connection: relay_chunk_size bytes, taken when a message is
/// relayed (a connection that is only answered locally never pays) and given back as soon as
/// it is, to a small per-thread shelf (relay_scratch_shelf.hpp): a connection waiting for the
/// upstream's answer, or idle, holds none, so the shelf's few buffers serve every connection of
/// a busy thread and a request does not allocate 64 KiB again.
class RelayScratch {
public:
    RelayScratch() = default;
    RelayScratch(const RelayScratch&) = delete;
    RelayScratch& operator=(const RelayScratch&) = delete;
    ~RelayScratch() { release(); }

    char* get() {
        if (!bytes_) bytes_ = take_relay_scratch();  // not zeroed: always written before read
        return bytes_.get();
    }
    /// After a message: 1,000 kept-alive forwarded connections would otherwise hold 64 MiB.
    void release() {
        if (bytes_) shelve_relay_scratch(std::move(bytes_));
    }

private:
    std::unique_ptr<char[]> bytes_;
};

/// A message of known length (Content-Length: downloads, uploads; or no body at all), its
/// header already written as bytes at the front of `chunk` (`head_size` of them): the header goes
/// out with the first body bytes in one write (a small message is one TLS record), then bytes go
/// from `in` to `out` as they are, each read as large as the stream gives (a TLS stream hands
/// over every record it holds), with no parser or serializer step per chunk. It never reads past
/// the body, so a pipelined next message stays in `in` for its own parser.
template <class In, class Out>
net::awaitable<error_code> relay_known_length(In& in, beast::flat_buffer& in_buffer, Out& out, std::size_t head_size,
                                              std::uint64_t remaining, std::chrono::milliseconds idle, std::uint64_t& body_bytes,
                                              char* chunk) {
    std::size_t pending = head_size;  // bytes at chunk's front that go out with the next body bytes
    do {
        const std::size_t room = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, relay_chunk_size - pending));
        std::size_t n = 0;
        if (room == 0) {
            // nothing to read (no body, or a header that filled the chunk)
        } else if (in_buffer.size() > 0) {  // body bytes that arrived with the header
            n = net::buffer_copy(net::buffer(chunk + pending, room), in_buffer.data());
            in_buffer.consume(n);
            // and the rest of their record, which the header's short read left in OpenSSL: a small
            // message then goes out in one write (one wake-up of the reader instead of two).
            if constexpr (requires { in.read_decrypted(net::mutable_buffer()); })
                if (n < room) n += in.read_decrypted(net::buffer(chunk + pending + n, room - n));
        } else {
            // Records already received are read at once.
            error_code rec;
            const auto into = net::buffer(chunk + pending, room);
            if (!read_at_once(in, into, rec, n))
                std::tie(rec, n) = co_await read_some_later(in, into, n, [&] { beast::get_lowest_layer(in).expires_after(idle); });
            // As http::async_read reports it: a clean end before the last byte is a partial message.
            if (rec) co_return rec == net::error::eof ? error_code(http::error::partial_message) : rec;
        }
        remaining -= n;
        body_bytes += n;
        const net::const_buffer message(chunk, pending + n);
        std::size_t sent = 0;
        error_code wec;
        if constexpr (requires { out.write_now(message, wec); }) {
            sent = out.write_now(message, wec);  // most writes end here: no operation, timer or event-loop turn
            if (!wec && out.flush_pending()) {
                beast::get_lowest_layer(out).expires_after(idle);
                auto [fec] = co_await out.async_flush(nothrow);
                wec = fec;
            }
        }
        if (!wec && sent < message.size()) {
            beast::get_lowest_layer(out).expires_after(idle);
            auto [ec, w] = co_await net::async_write(out, message + sent, nothrow);
            wec = ec;
        }
        if (wec) co_return wec;
        pending = 0;
    } while (remaining > 0);
    co_return error_code{};
}

/// relay_message's general path: Beast's serializer writes the header and frames the body
/// (chunked, until close, or a header too large for the chunk).
template <bool isRequest, class In, class Out>
net::awaitable<error_code> relay_serialized(In& in, beast::flat_buffer& in_buffer, http::parser<isRequest, http::buffer_body>& parser,
                                            Out& out, std::chrono::milliseconds idle, std::uint64_t& body_bytes, char* chunk) {
    constexpr std::size_t chunk_size = relay_chunk_size;
    http::serializer<isRequest, http::buffer_body> serializer{parser.get()};
    // Beast reads as much as the buffer has room for (512 bytes after a small header): without
    // room, a chunked body cost one read, one TLS record slice and one event-loop turn per 512
    // bytes. A message without a body (a GET) reads nothing more and gets no room.
    const bool body_to_read = !parser.is_done();
    if (body_to_read) in_buffer.reserve(chunk_size);
    struct GiveBack {  // and the room goes again, so an idle connection does not keep it
        beast::flat_buffer& buffer;
        bool room_taken;
        ~GiveBack() {
            if (room_taken) buffer.shrink_to_fit();
        }
    } give_back{in_buffer, body_to_read};
    do {
        auto& body = parser.get().body();
        if (!parser.is_done()) {
            body.data = chunk;
            body.size = chunk_size;
            beast::get_lowest_layer(in).expires_after(idle);
            auto [ec, n] = co_await http::async_read(in, in_buffer, parser, nothrow);
            if (ec && ec != http::error::need_buffer) co_return ec;
            body.size = chunk_size - body.size;
            body.data = chunk;
            body.more = !parser.is_done();
            body_bytes += body.size;
        } else {
            body.data = nullptr;
            body.size = 0;
            body.more = false;
        }
        beast::get_lowest_layer(out).expires_after(idle);
        auto [wec, w] = co_await http::async_write(out, serializer, nothrow);
        if (wec && wec != http::error::need_buffer) co_return wec;
    } while (!parser.is_done() || !serializer.is_done());
    co_return error_code{};
}

/// Streams the rest of one message whose header `parser` already holds from `in` to `out`,
/// through `chunk` (relay_chunk_size bytes, reused across messages so a request costs no
/// allocation). `body_bytes` counts the body bytes moved. Not a coroutine itself: it picks the
/// path, and the caller awaits that one (one coroutine frame per message, not two).
template <bool isRequest, class In, class Out>
net::awaitable<error_code> relay_message(In& in, beast::flat_buffer& in_buffer, http::parser<isRequest, http::buffer_body>& parser,
                                         Out& out, std::chrono::milliseconds idle, std::uint64_t& body_bytes, char* chunk) {
    if (parser.is_done() || (!parser.chunked() && parser.content_length_remaining())) {
        // Known length: the header is written by hand into the chunk (Beast's serializer and its
        // buffer sequences cost more than the rest of a small request); one that does not fit
        // there (over 64 KiB) takes the general path.
        if (const std::size_t head_size = write_header_bytes(parser.get().base(), chunk, relay_chunk_size)) {
            const std::uint64_t length = parser.is_done() ? 0 : *parser.content_length_remaining();
            return relay_known_length(in, in_buffer, out, head_size, length, idle, body_bytes, chunk);
        }
    }
    return relay_serialized(in, in_buffer, parser, out, idle, body_bytes, chunk);
}

/// Prepares a parser for a message of unknown size: header bytes bounded, body unbounded (it is
/// streamed, never held).
template <class Parser>
void configure_parser(Parser& parser, std::size_t header_limit) {
    parser.header_limit(static_cast<std::uint32_t>(header_limit));
    parser.body_limit(boost::none);
}

/// Why the request's body cannot be framed safely, or "" when it can. RFC 9112 §6.3: a request
/// whose Transfer-Encoding does not end in chunked has no knowable length and must get 400;
/// passing it on would let its body be read upstream as a second, smuggled request.
inline std::string unframeable_request(const RequestParser& parser) {
    const auto& req = parser.get();
    const auto te = req[http::field::transfer_encoding];
    if (req.find(http::field::transfer_encoding) == req.end() || parser.chunked()) return {};
    return "Transfer-Encoding '" + std::string(te) + "' is not supported: only a final 'chunked' (RFC 9112 section 6.3)";
}

/// RFC 9110 section 9.2.2: methods a server must treat the same when received twice.
inline bool is_idempotent(http::verb method) {
    switch (method) {
    case http::verb::get:
    case http::verb::head:
    case http::verb::options:
    case http::verb::trace:
    case http::verb::put:
    case http::verb::delete_: return true;
    default: return false;
    }
}

/// Whether a request that failed with `ec` on a connection taken from the pool goes again on a
/// new connection: once per request, never after a timeout (a slow server is not a closed
/// one). Records the stale connection on the timeline.
template <class Upstream>
bool stale_retry(Upstream& upstream, Connection& conn, bool& retried, const error_code& ec) {
    if (retried || !upstream.reused() || ec == beast::error::timeout) return false;
    retried = true;
    conn.emit(conn.event("upstream_stale").add("upstream_conn", upstream.id()).add("error", ec.message()));
    return true;
}

/// A new connection in place of a stale pooled one (`get_fresh`; an upstream without a pool
/// connects again through `get`).
template <class Upstream>
auto fresh_upstream(Upstream& upstream, const http::request_header<>& req) {
    if constexpr (requires { upstream.get_fresh(req); }) {
        return upstream.get_fresh(req);
    } else {
        upstream.drop();
        return upstream.get(req);
    }
}

/// The upstream's stream for a request when it has one ready with no waiting (upstream.ready:
/// held, or idle in the pool), else nullptr: then the request awaits get().
template <class Upstream>
auto ready_upstream(Upstream& upstream, bool replayable) {
    using Stream = typename decltype(upstream.get(std::declval<const http::request_header<>&>()))::value_type;
    if constexpr (requires { upstream.ready(replayable); })
        return upstream.ready(replayable);
    else
        return static_cast<Stream>(nullptr);
}

/// The deadline of the upstream's waits for a response header when its stream waits for the
/// socket's edge (upstream.response_watch: a TLS upstream), else nullptr: Beast's reads, with the
/// stream's own deadline.
template <class Upstream>
IdleWatch* upstream_response_watch(Upstream& upstream) {
    if constexpr (requires { upstream.response_watch(); })
        return upstream.response_watch();
    else
        return nullptr;
}

/// The client's request could not be relayed: a malformed body gets a 400, a client that left
/// gets nothing.
template <class Client>
net::awaitable<void> request_failed(Client& client, Connection& conn, const error_code& ec, std::chrono::milliseconds idle) {
    const bool client_left = ec == http::error::end_of_stream || ec == http::error::partial_message;
    if (!client_left && ec.category() == http::make_error_code(http::error::bad_chunk).category()) {
        // The client's body is malformed (a bad chunk size, ...): say so rather than a bare close.
        conn.set_close_reason("bad request: " + ec.message());
        co_await send_simple_response(client, http::status::bad_request, "request refused: " + ec.message(), false, idle);
        co_return;
    }
    conn.set_close_reason("relaying request: " + ec.message());
}

/// Reads the upstream's final response header into `response`, passing 1xx interim responses
/// (but 101) on to the client. `interim_seen` says whether any was; a failure writing one to
/// the client is operation_aborted.
template <class Client, class Up>
net::awaitable<error_code> read_final_header(Client& client, Up& up, beast::flat_buffer& buffer, std::optional<ResponseParser>& response,
                                             const EngineConfig& config, bool is_head, bool& interim_seen, IdleWatch* edge) {
    for (;;) {
        response.emplace();
        configure_parser(*response, config.header_limit);
        if (is_head) response->skip(true);
        beast::get_lowest_layer(up).expires_after(config.timeouts.header);
        const error_code ec = co_await read_whole_header(up, buffer, *response, edge);
        if (ec) co_return ec;
        auto interim_status = response->get().result_int();
        if (interim_status < 100 || interim_status >= 200 || interim_status == 101) co_return error_code{};
        interim_seen = true;
        http::response<http::empty_body> interim{response->get().base()};
        beast::get_lowest_layer(client).expires_after(config.timeouts.idle);
        auto [iec, in] = co_await http::async_write(client, interim, nothrow);
        if (iec) co_return net::error::operation_aborted;
    }
}

/// Reads from `up` until `buffer` holds a whole response header, parsed into `head` but not
/// consumed: the bytes stay at the buffer's front, for the client as they are or for Beast's
/// parser when the relay needs one. Errors as http::async_read_header reports them.
/// Not a coroutine: the caller awaits read_whole_header's own (one frame, not two).
template <class Up>
net::awaitable<error_code> peek_response_head(Up& up, beast::flat_buffer& buffer, ResponseHeadParser& head, const EngineConfig& config,
                                              bool is_head, IdleWatch* edge) {
    head.header_limit(static_cast<std::uint32_t>(config.header_limit));
    head.body_limit(boost::none);
    if (is_head) head.skip(true);
    // Body bytes that came with the header and the rest of their record are taken from the
    // buffer by relay_known_length.
    beast::get_lowest_layer(up).expires_after(config.timeouts.header);
    return read_whole_header(up, buffer, head, edge);
}

/// What the relay reports of the final response, from whichever parser read it.
struct FinalResponse {
    unsigned status = 0;
    std::string reason;
    bool keep_alive = false;
};

/// Relays one request (its header already in `parser`) and its response. True when both sides
/// keep the connection alive, so the caller may read the next request. `upstream` provides:
/// `net::awaitable<Stream*> get(const http::request_header<>&)` (nullptr on failure, already
/// logged), optionally `Stream* ready(bool replayable)` (the same when no wait is needed, else
/// nullptr), `get_fresh` (the same, never from a pool), `beast::flat_buffer& buffer()`, `void drop()`,
/// `void done(bool reusable)` (after a complete response), `bool reused()` (the stream came from
/// a pool), `std::uint64_t id()`, and `void prepare(http::request_header<>&)` (rewrites the
/// request for the upstream). `status` receives the final status (0: none).
/// `scratch` lends the bytes each message is relayed through.
template <class Client, class Upstream>
net::awaitable<bool> relay_exchange(Client& client, beast::flat_buffer& client_buffer, RequestParser& parser, Upstream& upstream,
                                    Connection& conn, const EngineConfig& config, RelayScratch& scratch, int& status) {
    const auto& timeouts = config.timeouts;
    status = 0;
    auto& req = parser.get();
    const bool client_keep_alive = req.keep_alive();
    const bool is_head = req.method() == http::verb::head;
    conn.emit(conn.event("request")
                  .add("method", req.method_string())
                  .add("target", req.target())
                  .add("host", req[http::field::host])
                  .add("mode", "forward"));
    if (auto problem = unframeable_request(parser); !problem.empty()) {
        conn.set_close_reason("bad request: " + problem);
        co_await send_simple_response(client, http::status::bad_request, "request refused: " + problem, false, timeouts.idle);
        co_return false;
    }
    if (beast::iequals(req[http::field::expect], "100-continue")) {
        // Answer the client's wait ourselves: it then sends the body, which we stream upstream.
        req.erase(http::field::expect);
        beast::get_lowest_layer(client).expires_after(timeouts.idle);
        auto [ec, n] = co_await net::async_write(client, net::buffer("HTTP/1.1 100 Continue\r\n\r\n", 25), nothrow);
        if (ec) co_return false;
    }
    upstream.prepare(req);
    // A request without a body and with an idempotent method can go again on a new connection
    // when a pooled one turns out stale (RFC 9110 section 9.2.2): nothing of it is lost.
    const bool replayable = parser.is_done() && is_idempotent(req.method());
    bool retried = false;
    auto* up = ready_upstream(upstream, replayable);  // no coroutine frame when one is held or pooled
    if (!up) up = co_await upstream.get(req);
    std::optional<ResponseHeadParser> head;  // emplaced per attempt: a parser reads one message
    std::optional<ResponseParser> response;  // only for what cannot go out as it came (below)
    bool as_is = false;
    for (;;) {
        if (!up) {
            conn.set_close_reason("upstream unavailable");
            co_await send_simple_response(client, http::status::bad_gateway,
                                          "the upstream server could not be reached (see the upstream event)", false, timeouts.idle);
            co_return false;
        }
        std::uint64_t request_bytes = 0;
        const auto sent = co_await relay_message(client, client_buffer, parser, *up, timeouts.idle, request_bytes, scratch.get());
        scratch.release();  // not held while the upstream thinks
        if (sent) {
            if (replayable && stale_retry(upstream, conn, retried, sent)) {
                up = co_await fresh_upstream(upstream, req);
                continue;
            }
            upstream.drop();  // it holds part of a request that will never be completed
            co_await request_failed(client, conn, sent, timeouts.idle);
            co_return false;
        }
        conn.add_bytes(request_bytes, 0);
        bool interim_seen = false;
        head.emplace();
        auto* edge = upstream_response_watch(upstream);
        auto ec = co_await peek_response_head(*up, upstream.buffer(), *head, config, is_head, edge);
        // A final response of known length (most of them) goes to the client as its bytes came:
        // no fields stored, no serializer. A 1xx, a chunked or until-close body, or a header
        // larger than the chunk goes through Beast's parser, which reads the same bytes again.
        as_is = !ec && head->status() >= 200 && head->known_body_length() && head->size() <= relay_chunk_size;
        if (!ec && !as_is) ec = co_await read_final_header(client, *up, upstream.buffer(), response, config, is_head, interim_seen, edge);
        if (!ec) break;
        if (replayable && !interim_seen && upstream.buffer().size() == 0 && stale_retry(upstream, conn, retried, ec)) {
            up = co_await fresh_upstream(upstream, req);
            continue;
        }
        if (interim_seen && ec == net::error::operation_aborted) co_return false;  // the client left during a 1xx
        conn.emit(conn.event("response").add("error", ec.message()).add("source", "upstream"));
        conn.set_close_reason("reading upstream response: " + ec.message());
        upstream.drop();
        co_await send_simple_response(client, http::status::bad_gateway, "the upstream server sent no valid response: " + ec.message(),
                                      false, timeouts.idle);
        co_return false;
    }
    FinalResponse res;
    std::uint64_t response_bytes = 0;
    error_code rec;
    if (as_is) {
        res = {head->status(), head->reason(), head->keeps_alive()};
        auto& from = upstream.buffer();
        char* chunk = scratch.get();
        net::buffer_copy(net::buffer(chunk, head->size()), from.data());
        from.consume(head->size());
        rec =
            co_await relay_known_length(*up, from, client, head->size(), *head->known_body_length(), timeouts.idle, response_bytes, chunk);
    } else {
        const auto& header = response->get();
        res = {header.result_int(), std::string(header.reason()), header.keep_alive()};
        rec = co_await relay_message(*up, upstream.buffer(), *response, client, timeouts.idle, response_bytes, scratch.get());
    }
    scratch.release();
    status = static_cast<int>(res.status);
    conn.add_bytes(0, response_bytes);
    conn.emit(conn.event("response")
                  .add("status", res.status)
                  .add("reason", res.reason)
                  .add("body_bytes", response_bytes)
                  .add("source", "upstream"));
    conn.note_request(req.method_string(), req.target(), res.status);
    if (rec) {
        conn.set_close_reason("relaying response: " + rec.message());
        co_return false;
    }
    if (res.status == 101) {  // protocol switch (WebSocket, ...): bytes from here on
        std::uint64_t up_bytes = 0, down_bytes = 0;
        co_await tunnel_bytes(client, *up, client_buffer.data(), timeouts.idle, up_bytes, down_bytes);
        conn.add_bytes(up_bytes, down_bytes);
        co_return false;
    }
    upstream.done(res.keep_alive);  // back to the pool, kept, or dropped
    co_return client_keep_alive&& res.keep_alive;
}

}  // namespace tlsfault::proxy
