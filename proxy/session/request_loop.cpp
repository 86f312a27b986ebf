// The request loop of an accepted TLS connection; see request_loop.hpp.
#include "proxy/session/request_loop.hpp"

#include "proxy/origin/origin_responder.hpp"
#include "proxy/relay/upstream_connect.hpp"
#include "proxy/relay/upstream_slot.hpp"
#include "proxy/session/scenario_session.hpp"

#include <memory>
#include <optional>

namespace tlsfault::proxy {
namespace {

/// The upstream side of a forwarded TLS connection: one verified TLS stream, connected on the
/// first forwarded request and reconnected when the upstream ended keep-alive.
class TlsUpstream : public UpstreamSlot<TlsStream> {
public:
    TlsUpstream(EngineState& state, Connection& conn, const HostPort& target, const std::string& name)
        : state_(state), conn_(conn), target_(target), name_(name) {}
    net::awaitable<TlsStream*> get(const http::request_header<>&) {
        if (!stream_) stream_ = co_await connect_tls_upstream(state_, conn_, target_, name_);
        co_return stream_.get();
    }
    void prepare(http::request_header<>& req) { strip_proxy_headers(req); }

private:
    EngineState& state_;
    Connection& conn_;
    const HostPort& target_;
    const std::string& name_;
};

/// A host a loaded scenario names is a lab stand-in (api.opendns.com, mail.contoso.com): a lab
/// tool never sends its traffic to the real host unless a rule says `http: forward`.
bool kept_local(Connection& conn, const DefaultAnswer& answer, const ScenarioConnection& scenario, bool rule_forwards) {
    if (answer.origin || rule_forwards || scenario.host_named_by.empty()) return false;
    if (!conn.has_note()) {
        std::string why = answer.facts.host + " is named by scenario " + scenario.host_named_by +
                          "; no rule answers this request and none says `http: forward`, so the origin page answers";
        conn.emit(conn.event("not_forwarded").add("host", answer.facts.host).add("scenario", scenario.host_named_by).add("reason", why));
        conn.set_note("not forwarded: " + answer.facts.host + " is named by scenario " + scenario.host_named_by);
    }
    return true;
}

/// The default answer to one request. True when the connection stays open for another.
net::awaitable<bool> answer_by_default(EngineState& state, ScenarioSession& session, TlsStream& tls, beast::flat_buffer& buffer,
                                       RequestParser& parser, const DefaultAnswer& answer, TlsUpstream& upstream,
                                       RelayScratch& scratch, bool rule_forwards) {
    Connection& conn = session.conn();
    if (answer.origin || kept_local(conn, answer, session.choice(), rule_forwards)) {
        bool keep_alive = co_await answer_origin_request(tls, buffer, parser, answer.facts, conn, state.config);
        session.on_answer(200);  // the origin page is always 200
        co_return keep_alive;
    }
    int status = 0;
    bool keep_alive = co_await relay_exchange(tls, buffer, parser, upstream, conn, state.config, scratch.get(), status);
    if (status != 0) session.on_answer(status);
    co_return keep_alive;
}

}  // namespace

net::awaitable<void> serve_requests(EngineState& state, ScenarioSession& session, TlsStream& tls, beast::flat_buffer& buffer,
                                    RequestParser& first, const DefaultAnswer& answer) {
    TlsUpstream upstream(state, session.conn(), answer.destination, answer.upstream_name);
    RelayScratch scratch;
    RequestParser* parser = &first;
    std::optional<RequestParser> next;
    for (;;) {
        // Every request is offered to the rules again: which rule answers depends on the request.
        auto ruled = co_await session.on_request(tls, buffer, *parser);
        bool keep_alive = ruled == RuleAnswer::answered;
        if (ruled == RuleAnswer::none || ruled == RuleAnswer::forward)
            keep_alive = co_await answer_by_default(state, session, tls, buffer, *parser, answer, upstream, scratch,
                                                    ruled == RuleAnswer::forward);
        if (!keep_alive) co_return;
        scratch.release();
        if (!co_await read_next_request(tls, buffer, next, state.config)) co_return;
        parser = &*next;
    }
}

}  // namespace tlsfault::proxy
