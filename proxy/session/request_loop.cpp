// The one request loop; see request_loop.hpp.
#include "proxy/session/request_loop.hpp"

#include "proxy/core/idle_wait.hpp"
#include "proxy/session/scenario_session.hpp"

#include <optional>

namespace tlsfault::proxy {

template <class Stream>
net::awaitable<void> serve_requests(EngineState& state, ScenarioSession& session, Stream& stream, beast::flat_buffer& buffer,
                                    RequestParser& first, DefaultAnswerPolicy<Stream>& fallback) {
    RelayScratch scratch;
    RequestParser* parser = &first;
    std::optional<RequestParser> next;
    std::optional<IdleWatch> idle;  // made at the first wait: a connection with one request needs none
    for (;;) {
        // Every request is offered to the rules again: which rule answers depends on the request.
        const auto ruled = co_await session.on_request(stream, buffer, *parser);
        bool keep_alive = ruled == RuleAnswer::answered;
        if (ruled == RuleAnswer::answered || ruled == RuleAnswer::closed) {
            fallback.rule_answered();
        } else {
            int status = 0;
            keep_alive = co_await fallback.answer(stream, buffer, *parser, scratch, ruled == RuleAnswer::forward, status);
            if (status != 0) session.on_answer(status);
        }
        if (!keep_alive) co_return;
        scratch.release();
        // The first request's header lives in the caller's parser: its fields go now, not at the
        // connection's end (the parser object itself stays; nothing reads it again).
        if (parser == &first) (void)first.release();
        // The next request's header, on a kept-alive connection. Idle until the client speaks:
        // the last request's header, the buffers and any pending read would otherwise stay
        // allocated for every kept-alive connection (idle_wait.hpp). A client that ends
        // keep-alive or stays idle ends the connection normally, with no error.
        if (buffer.size() == 0 && !holds_unread_input(stream)) {
            next.reset();
            buffer.shrink_to_fit();
            release_idle_buffers(stream);
            if (!idle) idle.emplace(beast::get_lowest_layer(stream), state.config.timeouts.idle);
            idle->begin();
            auto [wait_ec] = co_await beast::get_lowest_layer(stream).socket().async_wait(tcp::socket::wait_read, nothrow);
            if (!idle->readable(wait_ec)) co_return;
        }
        next.emplace();
        configure_parser(*next, state.config.header_limit);
        beast::get_lowest_layer(stream).expires_after(state.config.timeouts.idle);
        if (auto [ec, n] = co_await http::async_read_header(stream, buffer, *next, nothrow); ec) co_return;
        parser = &*next;
    }
}

template net::awaitable<void> serve_requests(EngineState&, ScenarioSession&, TlsStream&, beast::flat_buffer&, RequestParser&,
                                             DefaultAnswerPolicy<TlsStream>&);
template net::awaitable<void> serve_requests(EngineState&, ScenarioSession&, beast::tcp_stream&, beast::flat_buffer&, RequestParser&,
                                             DefaultAnswerPolicy<beast::tcp_stream>&);

}  // namespace tlsfault::proxy
