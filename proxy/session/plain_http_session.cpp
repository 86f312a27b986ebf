// The plain-HTTP proxy path, top to bottom: host from the URL -> connection rule -> tcp faults
// (a blackhole or an immediate reset ends it here) -> the request loop (request_loop.hpp), whose
// default answer here is forwarding, or a 502 when forwarding is off or the host is a scenario's.
#include "proxy/session/plain_http_session.hpp"

#include "proxy/relay/absolute_url.hpp"
#include "proxy/relay/upstream_connect.hpp"
#include "proxy/relay/upstream_slot.hpp"
#include "proxy/session/request_loop.hpp"
#include "proxy/session/scenario_session.hpp"

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

/// The plain path's policy: the verdict is recorded once the first answer is settled, so a rule's
/// `expect` is judged by what that answer was.
class PlainDefaultAnswer : public DefaultAnswerPolicy<beast::tcp_stream> {
public:
    PlainDefaultAnswer(EngineState& state, ScenarioSession& session) : state_(state), session_(session), upstream_(state, session.conn()) {}

    void rule_answered() override { session_.verdict({Outcome::plain_http, Phase::proxy_request, {}, {}, "answered by a scenario rule"}); }

    net::awaitable<bool> answer(beast::tcp_stream& stream, beast::flat_buffer& buffer, RequestParser& parser, RelayScratch& scratch,
                                bool rule_forwards, int&) override {
        // The verdict is plain_http, not accepted: the status relayed does not judge an `expect`.
        const auto& named_by = session_.choice().host_named_by;
        if (!rule_forwards && !named_by.empty()) {
            co_await refuse_scenario_host(stream, named_by);
            co_return false;
        }
        // The lab's own CRL/OCSP server is no internet host: a client that sends all HTTP through
        // the proxy (Chromium) reaches it in every upstream mode.
        if (!state_.forwards(ListenerKind::proxy) && !names_lab_revocation_listener()) {
            session_.verdict({Outcome::aborted, Phase::proxy_request, {}, {}, "plain HTTP forwarding is off (--upstream-mode origin)"});
            co_await send_simple_response(stream, http::status::bad_gateway, "forwarding is off (--upstream-mode origin)", false,
                                          state_.config.timeouts.idle);
            co_return false;
        }
        session_.verdict({Outcome::plain_http, Phase::proxy_request, {}, {}, {}});
        int relayed = 0;
        co_return co_await relay_exchange(stream, buffer, parser, upstream_, session_.conn(), state_.config, scratch, relayed);
    }

private:
    bool names_lab_revocation_listener() const {
        const auto& facts = session_.choice().facts;
        return state_.own_listeners.named_by(HostPort{facts.host, facts.port}, ListenerKind::revocation);
    }

    /// A host a loaded scenario names is never forwarded to the real host unless a rule says so:
    /// a 502 page naming the scenario (there is no TLS origin page to show in plain HTTP).
    net::awaitable<void> refuse_scenario_host(beast::tcp_stream& stream, const std::string& scenario) {
        Connection& conn = session_.conn();
        const std::string& host = session_.choice().facts.host;
        std::string why = "not forwarded: " + host + " is named by scenario " + scenario +
                          " and no rule answers this request (a rule with `http: forward` would forward it)";
        conn.emit(conn.event("not_forwarded").add("host", host).add("scenario", scenario).add("reason", why));
        conn.set_note("not forwarded: " + host + " is named by scenario " + scenario);
        session_.verdict({Outcome::aborted, Phase::proxy_request, {}, {}, why});
        co_await send_simple_response(stream, http::status::bad_gateway, "tlsfault: " + why, false, state_.config.timeouts.idle);
    }

    EngineState& state_;
    ScenarioSession& session_;
    PlainUpstream upstream_;
};

/// After the connection rule and its faults: `stream` is the client's, or the splice's end.
net::awaitable<void> serve_plain_requests(EngineState& state, ScenarioSession& session, beast::tcp_stream& stream,
                                          beast::flat_buffer& buffer, RequestParser& first) {
    PlainDefaultAnswer fallback(state, session);
    RequestSlot next;
    co_await serve_requests(state, session, stream, buffer, first, next, fallback);
}

}  // namespace

net::awaitable<void> serve_plain_http(EngineState& state, Connection& conn, beast::tcp_stream stream, beast::flat_buffer buffer,
                                      RequestParser& parser) {
    const auto url = parse_absolute_url(parser.get().target());
    const HostPort authority = url ? url->authority : HostPort{};
    conn.set_host(authority.host, {});
    // The console line names the fetch even when a fault ends it before any answer.
    conn.note_pending_request(std::string(parser.get().method_string()) + " " + std::string(parser.get().target()));
    ScenarioSession session(state, conn);
    // No ClientHello here: the rule is chosen from the URL's host and port alone. A rule's
    // certificate, chain, tls and client_cert have nothing to act on and are not applied.
    std::string no_ja3;
    session.choose(authority.host, authority.port, nullptr, no_ja3);
    co_await session.with_tcp_faults(stream, Phase::proxy_request, [&](beast::tcp_stream& spliced) {
        return serve_plain_requests(state, session, spliced, buffer, parser);
    });
    session.on_end();
}

}  // namespace tlsfault::proxy
