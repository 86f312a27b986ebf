// The plain-HTTP proxy path, top to bottom: host from the URL -> connection rule -> tcp faults
// (a blackhole or an immediate reset ends it here) -> request rules answered in plain HTTP ->
// the rest forwarded, or refused when forwarding is off.
#include "proxy/listeners/plain_proxy_request.hpp"

#include "proxy/faults/fault_splice.hpp"
#include "proxy/relay/absolute_url.hpp"
#include "proxy/relay/upstream_connect.hpp"
#include "proxy/relay/upstream_slot.hpp"
#include "proxy/session/scenario_session.hpp"

#include <optional>

namespace tlsfault::proxy {
namespace {

/// Plain-HTTP upstreams, chosen per request from its absolute-form target.
class PlainUpstream : public UpstreamSlot<beast::tcp_stream> {
public:
    PlainUpstream(EngineState& state, Connection& conn) : state_(state), conn_(conn) {}
    net::awaitable<beast::tcp_stream*> get(const http::request_header<>&) {
        HostPort target = state_.config.upstream_address ? *state_.config.upstream_address : next_;
        if (stream_ && target.str() != current_.str()) drop();
        if (!stream_) {
            stream_ = co_await connect_plain_upstream(state_, conn_, target, OwnListenerPolicy::allow);
            current_ = target;
        }
        co_return stream_.get();
    }
    /// Absolute form to origin form, proxy-only headers removed; remembers where it goes.
    void prepare(http::request_header<>& req) {
        if (auto url = parse_absolute_url(req.target())) {
            next_ = url->authority;
            req.target(url->origin_form);
        }
        strip_proxy_headers(req);
    }

private:
    EngineState& state_;
    Connection& conn_;
    HostPort next_, current_;
};

/// A host a loaded scenario names is never forwarded to the real host unless a rule says so:
/// a 502 page naming the scenario (there is no TLS origin page to show in plain HTTP).
net::awaitable<void> refuse_scenario_host(EngineState& state, ScenarioSession& session, beast::tcp_stream& stream, const std::string& host,
                                          const std::string& scenario) {
    Connection& conn = session.conn();
    std::string why = "not forwarded: " + host + " is named by scenario " + scenario +
                      " and no rule answers this request (a rule with `http: forward` would forward it)";
    conn.emit(conn.event("not_forwarded").add("host", host).add("scenario", scenario).add("reason", why));
    conn.set_note("not forwarded: " + host + " is named by scenario " + scenario);
    session.verdict({Outcome::aborted, Phase::proxy_request, {}, {}, why});
    co_await send_simple_response(stream, http::status::bad_gateway, "tlsfault: " + why, false, state.config.timeouts.idle);
}

/// After the connection rule and its faults, request by request: the scenario rules first, then
/// the engine's default (forwarding, or 502 when it is off). The verdict is recorded once the
/// first answer is settled, so a rule's `expect` that waits for a status is judged by the answer.
net::awaitable<void> answer_plain(EngineState& state, ScenarioSession& session, beast::tcp_stream stream, beast::flat_buffer& buffer,
                                  RequestParser& first) {
    Connection& conn = session.conn();
    RequestParser* parser = &first;
    std::optional<RequestParser> next;
    PlainUpstream upstream(state, conn);
    RelayScratch scratch;
    for (;;) {
        auto ruled = co_await session.on_request(stream, buffer, *parser);
        bool keep_alive = ruled == RuleAnswer::answered;
        if (ruled == RuleAnswer::answered || ruled == RuleAnswer::closed) {
            session.verdict({Outcome::plain_http, Phase::proxy_request, {}, {}, "answered by a scenario rule"});
        } else if (ruled == RuleAnswer::none && !session.choice().host_named_by.empty()) {
            co_await refuse_scenario_host(state, session, stream, session.choice().facts.host, session.choice().host_named_by);
            co_return;
        } else if (!state.forwards("proxy")) {
            session.verdict({Outcome::aborted, Phase::proxy_request, {}, {}, "plain HTTP forwarding is off (--upstream-mode origin)"});
            co_await send_simple_response(stream, http::status::bad_gateway, "forwarding is off (--upstream-mode origin)", false,
                                          state.config.timeouts.idle);
            co_return;
        } else {
            session.verdict({Outcome::plain_http, Phase::proxy_request, {}, {}, {}});
            int status = 0;
            keep_alive = co_await relay_exchange(stream, buffer, *parser, upstream, conn, state.config, scratch.get(), status);
        }
        if (!keep_alive) co_return;
        scratch.release();
        if (!co_await read_next_request(stream, buffer, next, state.config)) co_return;
        parser = &*next;
    }
}

}  // namespace

net::awaitable<void> serve_plain_http(EngineState& state, Connection& conn, beast::tcp_stream stream,
                                      beast::flat_buffer buffer, RequestParser& parser) {
    const auto url = parse_absolute_url(parser.get().target());
    const HostPort authority = url ? url->authority : HostPort{};
    conn.set_host(authority.host, {});
    // The console line names the fetch even when a fault ends it before any answer.
    conn.note_pending_request(std::string(parser.get().method_string()) + " " + std::string(parser.get().target()));
    ScenarioSession session(state, conn);
    // No ClientHello here: the rule is chosen from the URL's host and port alone. A rule's
    // certificate, chain, tls and client_cert have nothing to act on and are not applied.
    session.choose(authority.host, authority.port, nullptr);
    co_await session.with_tcp_faults(std::move(stream), Phase::proxy_request, [&](beast::tcp_stream spliced) {
        return answer_plain(state, session, std::move(spliced), buffer, parser);
    });
    session.on_end();
}

}  // namespace tlsfault::proxy
