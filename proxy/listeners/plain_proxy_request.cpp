// The plain-HTTP proxy path, top to bottom: host from the URL -> connection rule -> tcp faults
// (a blackhole or an immediate reset ends it here) -> request rules answered in plain HTTP ->
// the rest forwarded, or refused when forwarding is off.
#include "proxy/listeners/plain_proxy_request.hpp"

#include "proxy/faults/fault_splice.hpp"
#include "proxy/relay/absolute_url.hpp"
#include "proxy/relay/upstream_connect.hpp"
#include "proxy/relay/upstream_slot.hpp"
#include "proxy/scenario/scenario_responder.hpp"
#include "proxy/scenario/scenario_session.hpp"

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
net::awaitable<void> refuse_scenario_host(EngineState& state, Connection& conn, beast::tcp_stream& stream, const std::string& host,
                                          const std::string& scenario) {
    std::string why = "not forwarded: " + host + " is named by scenario " + scenario +
                      " and no rule answers this request (a rule with `http: forward` would forward it)";
    conn.emit(conn.event("not_forwarded").add("host", host).add("scenario", scenario).add("reason", why));
    conn.set_note("not forwarded: " + host + " is named by scenario " + scenario);
    conn.verdict({Outcome::aborted, Phase::proxy_request, {}, {}, why});
    co_await send_simple_response(stream, http::status::bad_gateway, "tlsfault: " + why, false, state.config.timeouts.idle);
}

/// After the connection rule and its faults, request by request: the scenario rules first, then
/// the engine's default (forwarding, or 502 when it is off). The verdict is recorded once the
/// first answer is settled, so a rule's `expect` that waits for a status is judged by the answer.
net::awaitable<void> answer_plain(EngineState& state, Connection& conn, beast::tcp_stream stream, beast::flat_buffer& buffer,
                                  RequestParser& first, ScenarioConnection* scenario) {
    RequestParser* parser = &first;
    std::optional<RequestParser> next;
    PlainUpstream upstream(state, conn);
    RelayScratch scratch;
    for (;;) {
        auto ruled = RuleAnswer::none;
        if (scenario) ruled = co_await answer_scenario_request(state, conn, stream, buffer, *parser, *scenario);
        bool keep_alive = ruled == RuleAnswer::answered;
        if (ruled == RuleAnswer::answered || ruled == RuleAnswer::closed) {
            conn.verdict({Outcome::plain_http, Phase::proxy_request, {}, {}, "answered by a scenario rule"});
        } else if (ruled == RuleAnswer::none && scenario && !scenario->host_named_by.empty()) {
            co_await refuse_scenario_host(state, conn, stream, scenario->facts.host, scenario->host_named_by);
            co_return;
        } else if (!state.forwards("proxy")) {
            conn.verdict({Outcome::aborted, Phase::proxy_request, {}, {}, "plain HTTP forwarding is off (--upstream-mode origin)"});
            co_await send_simple_response(stream, http::status::bad_gateway, "forwarding is off (--upstream-mode origin)", false,
                                          state.config.timeouts.idle);
            co_return;
        } else {
            conn.verdict({Outcome::plain_http, Phase::proxy_request, {}, {}, {}});
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
    ScenarioConnection scenario;  // declared before the guard: the verdict hook reads it
    VerdictHookGuard hook_guard(conn);
    ScenarioConnection* rules = nullptr;
    if (state.scenarios) {
        // No ClientHello here: the rule is chosen from the URL's host and port alone. A rule's
        // certificate, chain, tls and client_cert have nothing to act on and are not applied.
        begin_scenario(state, conn, scenario, authority.host, authority.port, nullptr);
        rules = &scenario;
    }
    if (scenario.tcp_faults.empty()) {
        co_await answer_plain(state, conn, std::move(stream), buffer, parser, rules);
        co_return;
    }
    auto fired = co_await faults::run_with_tcp_faults(conn, tcp_faults_of(scenario), std::move(stream), Phase::proxy_request,
                                                      state.config.timeouts.idle, [&](beast::tcp_stream spliced) {
                                                          return answer_plain(state, conn, std::move(spliced), buffer, parser, rules);
                                                      });
    judge_after_tcp_faults(conn, scenario, fired);
}

}  // namespace tlsfault::proxy
