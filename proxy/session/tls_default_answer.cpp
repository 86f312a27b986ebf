// The TLS path's default answer; see tls_default_answer.hpp.
#include "proxy/session/tls_default_answer.hpp"

#include "proxy/origin/origin_responder.hpp"
#include "proxy/relay/early_upstream.hpp"
#include "proxy/relay/pooled_tls_upstream.hpp"
#include "proxy/session/scenario_session.hpp"

namespace tlsfault::proxy {

/// The upstream side of a forwarded TLS connection (proxy/relay/pooled_tls_upstream.hpp).
class TlsDefaultAnswer::Upstream : public PooledTlsUpstream {
    using PooledTlsUpstream::PooledTlsUpstream;
};

namespace {

/// The pool, unless it is off or the connection drew tcp faults: a faulted connection keeps its
/// own fresh, fully handshaken upstream leg, exactly as before the pool existed, so what the
/// faults do to the client's bytes never lands on a connection another client will borrow.
UpstreamPool* pool_for(const EngineState& state, const ScenarioSession& session) {
    if (!state.config.upstream_pool || session.has_tcp_faults()) return nullptr;
    return state.upstream_pool;
}

}  // namespace

std::shared_ptr<EarlyUpstream> TlsDefaultAnswer::begin_early_upstream(EngineState& state, const ScenarioSession& session,
                                                                      const HostPort& destination, const std::string& name,
                                                                      const net::any_io_executor& executor) {
    UpstreamPool* pool = pool_for(state, session);
    if (!pool) return nullptr;
    std::string key = upstream_key(state, destination, name, executor);
    if (pool->has_idle(key)) return nullptr;
    return EarlyUpstream::begin(state, destination, name, std::move(key), executor);
}

TlsDefaultAnswer::TlsDefaultAnswer(EngineState& state, ScenarioSession& session, DefaultAnswer answer)
    : state_(state), session_(session), answer_(std::move(answer)) {}

TlsDefaultAnswer::~TlsDefaultAnswer() = default;

bool TlsDefaultAnswer::kept_local(bool rule_forwards) {
    const auto& named_by = session_.choice().host_named_by;
    if (answer_.origin || rule_forwards || named_by.empty()) return false;
    Connection& conn = session_.conn();
    if (!conn.has_note()) {
        const std::string host(answer_.facts.host);
        std::string why = host + " is named by scenario " + named_by +
                          "; no rule answers this request and none says `http: forward`, so the origin page answers";
        conn.emit(conn.event("not_forwarded").add("host", answer_.facts.host).add("scenario", named_by).add("reason", why));
        conn.set_note("not forwarded: " + host + " is named by scenario " + named_by);
    }
    return true;
}

// Not a coroutine: the caller awaits the chosen answer's own (one frame per request, not two).
net::awaitable<bool> TlsDefaultAnswer::answer(TlsStream& tls, beast::flat_buffer& buffer, RequestParser& parser, RelayScratch& scratch,
                                              bool rule_forwards, int& status) {
    Connection& conn = session_.conn();
    if (answer_.origin || kept_local(rule_forwards)) {
        status = 200;  // the origin page is always 200
        return answer_origin_request(tls, buffer, parser, answer_.facts, conn, state_.config);
    }
    // Made at the first relayed request: an origin-mode connection never needs one.
    if (!upstream_)
        upstream_ = std::make_unique<Upstream>(state_, conn, answer_.destination, answer_.upstream_name, pool_for(state_, session_),
                                               tls.get_executor(), std::move(answer_.early));
    return relay_exchange(tls, buffer, parser, *upstream_, conn, state_.config, scratch, status);
}

}  // namespace tlsfault::proxy
