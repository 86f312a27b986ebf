// The one request loop; see request_loop.hpp.
#include "proxy/session/request_loop.hpp"

#include "proxy/session/scenario_session.hpp"

#include <optional>

namespace tlsfault::proxy {

template <class Stream>
net::awaitable<void> serve_requests(EngineState& state, ScenarioSession& session, Stream& stream, beast::flat_buffer& buffer,
                                    RequestParser& first, DefaultAnswerPolicy<Stream>& fallback) {
    RelayScratch scratch;
    RequestParser* parser = &first;
    std::optional<RequestParser> next;
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
        if (!co_await read_next_request(stream, buffer, next, state.config)) co_return;
        parser = &*next;
    }
}

template net::awaitable<void> serve_requests(EngineState&, ScenarioSession&, TlsStream&, beast::flat_buffer&, RequestParser&,
                                             DefaultAnswerPolicy<TlsStream>&);
template net::awaitable<void> serve_requests(EngineState&, ScenarioSession&, beast::tcp_stream&, beast::flat_buffer&, RequestParser&,
                                             DefaultAnswerPolicy<beast::tcp_stream>&);

}  // namespace tlsfault::proxy
