// The one request loop; see request_loop.hpp. Its pieces are short coroutines so that a
// kept-alive connection between requests holds only serve_requests' small frame: the frames that
// answered a request are gone before the wait (docs/performance.md, idle memory).
#include "proxy/session/request_loop.hpp"

#include "proxy/core/idle_wait.hpp"
#include "proxy/session/scenario_session.hpp"

#include <optional>

namespace tlsfault::proxy {
namespace {

/// Reads the next request's header into a fresh `slot`. An error when the client ended
/// keep-alive, stayed silent past --idle-timeout or sent no usable header: the connection then
/// ends normally. Not a coroutine: the caller awaits read_whole_header's own frame.
template <class Stream>
net::awaitable<error_code> read_request(EngineState& state, Stream& stream, beast::flat_buffer& buffer, RequestSlot& slot) {
    slot = std::make_unique<RequestParser>();
    configure_parser(*slot, state.config.header_limit);
    beast::get_lowest_layer(stream).expires_after(state.config.timeouts.idle);
    return read_whole_header(stream, buffer, *slot);
}

/// Answers `request` and every request the client has already sent behind it (pipelined, or
/// read along with it). True when the connection stays open with nothing left to read: it is to
/// wait for the client, and holds no parser and no read buffers by then.
template <class Stream>
net::awaitable<bool> answer_pending_requests(EngineState& state, ScenarioSession& session, Stream& stream, beast::flat_buffer& buffer,
                                             RequestParser& request, RequestSlot& next, DefaultAnswerPolicy<Stream>& fallback) {
    RelayScratch scratch;
    RequestParser* parser = &request;
    for (;;) {
        // Every request is offered to the rules again: which rule answers depends on the request.
        // (No scenario loaded: no coroutine and no request facts per request just to learn that.)
        RuleAnswer ruled = RuleAnswer::none;
        if (session.may_answer_requests()) ruled = co_await session.on_request(stream, buffer, *parser);
        bool keep_alive = ruled == RuleAnswer::answered;
        if (ruled == RuleAnswer::answered || ruled == RuleAnswer::closed) {
            fallback.rule_answered();
        } else {
            int status = 0;
            keep_alive = co_await fallback.answer(stream, buffer, *parser, scratch, ruled == RuleAnswer::forward, status);
            if (status != 0) session.on_answer(status);
        }
        if (!keep_alive) co_return false;
        scratch.release();
        if (parser == next.get())
            next.reset();
        else
            (void)parser->release();  // the caller's parser: its header fields go now, not at the connection's end
        if (buffer.size() == 0 && !holds_unread_input(stream)) {
            buffer.shrink_to_fit();
            release_idle_buffers(stream);
            co_return true;
        }
        const error_code read_ec = co_await read_request(state, stream, buffer, next);  // not awaited inside `if`: see serve_behind_faults
        if (read_ec) co_return false;
        parser = next.get();
    }
}

}  // namespace

template <class Stream>
net::awaitable<void> serve_requests(EngineState& state, ScenarioSession& session, Stream& stream, beast::flat_buffer& buffer,
                                    RequestParser& first, RequestSlot& next, DefaultAnswerPolicy<Stream>& fallback) {
    std::optional<IdleWatch> idle;  // made at the first wait: a connection with one request needs none
    RequestParser* request = &first;
    for (;;) {
        // Awaited into variables, not inside `while`/`if` (a GCC 12 miscompile: serve_behind_faults).
        const bool waits = co_await answer_pending_requests(state, session, stream, buffer, *request, next, fallback);
        if (!waits) co_return;
        // Idle until the client speaks, with no read in flight (idle_wait.hpp). A client that ends
        // keep-alive or stays idle ends the connection normally, with no error. A socket that may
        // already hold the next request is read at once.
        if (!socket_may_hold_input(stream)) {
            if (!idle) idle.emplace(beast::get_lowest_layer(stream), state.config.timeouts.idle);
            idle->begin();
            auto [wait_ec] = co_await wait_readable(stream);
            if (!idle->readable(wait_ec)) co_return;
        }
        note_readable(stream);
        const error_code read_ec = co_await read_request(state, stream, buffer, next);
        if (read_ec) co_return;
        request = next.get();
    }
}

template net::awaitable<void> serve_requests(EngineState&, ScenarioSession&, TlsStream&, beast::flat_buffer&, RequestParser&, RequestSlot&,
                                             DefaultAnswerPolicy<TlsStream>&);
template net::awaitable<void> serve_requests(EngineState&, ScenarioSession&, beast::tcp_stream&, beast::flat_buffer&, RequestParser&,
                                             RequestSlot&, DefaultAnswerPolicy<beast::tcp_stream>&);

}  // namespace tlsfault::proxy
