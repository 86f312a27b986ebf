// The pooled TLS upstream of one client connection; see pooled_tls_upstream.hpp.
#include "proxy/relay/pooled_tls_upstream.hpp"

#include "proxy/core/idle_wait.hpp"
#include "proxy/core/tls_stream.hpp"
#include "proxy/relay/early_upstream.hpp"
#include "proxy/relay/upstream_connect.hpp"
#include "proxy/relay/upstream_slot.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/rfc7230.hpp>

namespace tlsfault::proxy {
namespace {

/// A client's "Connection: close" ends its own hop (RFC 9110 section 7.6.1), not the upstream
/// leg: with the pool, that leg stays alive for the next client (nginx sends `Connection: ""`).
/// A request that asks for an Upgrade is left as it is.
void keep_upstream_leg_alive(beast::http::request_header<>& req) {
    namespace http = beast::http;
    const auto connection = req[http::field::connection];
    if (connection.empty()) return;
    std::string kept;
    bool had_close = false;
    for (auto token : http::token_list{connection}) {
        if (beast::iequals(token, "upgrade")) return;
        if (beast::iequals(token, "close")) {
            had_close = true;
            continue;
        }
        if (!kept.empty()) kept += ", ";
        kept.append(token.data(), token.size());
    }
    if (!had_close) return;
    if (kept.empty())
        req.erase(http::field::connection);
    else
        req.set(http::field::connection, kept);
}

}  // namespace

std::string upstream_key(const EngineState& state, const HostPort& target, const std::string& name, const net::any_io_executor& executor) {
    return UpstreamKey{target.host,
                       target.port,
                       name,
                       state.config.upstream_verify,
                       state.config.upstream_ca_file,
                       &net::query(executor, net::execution::context)}
        .text();
}

PooledTlsUpstream::PooledTlsUpstream(EngineState& state, Connection& conn, const HostPort& target, const std::string& name,
                                     UpstreamPool* pool, const net::any_io_executor& executor, std::shared_ptr<EarlyUpstream> early)
    : state_(state), conn_(conn), target_(target), name_(name), pool_(pool), early_(std::move(early)) {
    if (pool_) key_ = upstream_key(state, target, name, executor);
}

PooledTlsUpstream::~PooledTlsUpstream() = default;

TlsStream* PooledTlsUpstream::ready(bool replayable) {
    if (held_.stream) return held_.stream.get();  // pool off, or a pooled one not given back yet
    if (!pool_) return nullptr;
    auto idle =
        pool_->take(key_, replayable ? std::chrono::steady_clock::duration(unchecked_reuse) : std::chrono::steady_clock::duration{});
    if (!idle) return nullptr;
    held_ = std::move(*idle);
    reused_ = true;
    // One event per change of upstream connection: a client whose requests keep getting the same
    // pooled connection shows it once, as it did when it held it.
    if (held_.id != last_shown_) emit_reused_upstream(state_, conn_, target_, held_);
    last_shown_ = held_.id;
    early_.reset();
    return held_.stream.get();
}

net::awaitable<TlsStream*> PooledTlsUpstream::get(const beast::http::request_header<>& req) {
    if (auto* ready_now = ready(false)) co_return ready_now;
    if (early_) co_return co_await take_early();
    co_return co_await get_fresh(req);
}

net::awaitable<TlsStream*> PooledTlsUpstream::take_early() {
    const auto early = std::move(early_);
    auto attempt = co_await early->take();
    emit_upstream_attempt(conn_, target_, attempt, true);
    held_ = std::move(attempt.up);  // a failed attempt holds nothing: the request gets its 502
    reused_ = false;
    last_shown_ = held_.id;
    co_return held_.stream.get();
}

net::awaitable<TlsStream*> PooledTlsUpstream::get_fresh(const beast::http::request_header<>&) {
    drop();
    held_ = co_await connect_tls_upstream(state_, conn_, target_, name_, pool_, key_);
    reused_ = false;
    last_shown_ = held_.id;
    co_return held_.stream.get();
}

IdleWatch* PooledTlsUpstream::response_watch() {
    if (!held_.stream) return nullptr;
    if (!held_.response_watch)
        held_.response_watch = std::make_unique<IdleWatch>(held_.stream->next_layer(), state_.config.timeouts.header);
    return held_.response_watch.get();
}

void PooledTlsUpstream::prepare(beast::http::request_header<>& req) {
    strip_proxy_headers(req);
    if (pool_ && req.version() == 11) keep_upstream_leg_alive(req);
}

void PooledTlsUpstream::drop() {
    held_ = PooledUpstream{};
    buffer_.clear();
    reused_ = false;
}

void PooledTlsUpstream::done(bool reusable) {
    if (!held_.stream) return;
    if (pool_ && !held_.session_kept) {  // after the first response: TLS 1.3 tickets have arrived
        pool_->remember_session(key_, held_.stream->native_handle());
        held_.session_kept = true;
    }
    if (!reusable) {
        drop();
        return;
    }
    if (!pool_) return;        // kept for this client's next request, as without a pool
    if (buffer_.size() > 0) {  // bytes past the response: not a clean connection to lend
        drop();
        return;
    }
    pool_->give_back(key_, std::move(held_));
    held_ = PooledUpstream{};
    buffer_.shrink_to_fit();
    reused_ = false;
}

}  // namespace tlsfault::proxy
