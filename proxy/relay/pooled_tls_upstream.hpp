// The upstream side of one forwarded TLS client connection, as relay_exchange uses it. With the
// pool, a connection is borrowed for each request and given back after a complete keep-alive
// response, so a client idle between requests holds no upstream connection; without it (pool
// off, or a connection that must see its own upstream leg: see tls_default_answer.cpp) one
// fresh, never resumed connection serves the client connection, as before the pool existed.
#pragma once

#include "proxy/core/connection.hpp"
#include "proxy/core/engine_state.hpp"
#include "proxy/core/net.hpp"
#include "proxy/relay/upstream_pool.hpp"

#include <boost/beast/http/message.hpp>

#include <chrono>

namespace tlsfault::proxy {

class EarlyUpstream;

/// The pool key (UpstreamKey::text) of TLS connections to `target` checked for `name`, lent to
/// client connections on `executor`'s context.
std::string upstream_key(const EngineState& state, const HostPort& target, const std::string& name, const net::any_io_executor& executor);

class PooledTlsUpstream {
public:
    /// How recently a pooled connection must have been filed to be lent unchecked. What a server
    /// does within a millisecond of a complete keep-alive response (a close that its response
    /// did not announce) is what the stale retry is for; a server closing an idle connection
    /// does so after seconds, and those are checked.
    static constexpr std::chrono::milliseconds unchecked_reuse{1};

    /// `pool` null: no pooling and no resumption for this client connection. `executor`: the
    /// client connection's, on whose context its upstream connections are made and lent.
    /// `early`: the connection begun at the ClientHello (early_upstream.hpp), for the first
    /// request that finds no idle one in the pool.
    PooledTlsUpstream(EngineState& state, Connection& conn, const HostPort& target, const std::string& name, UpstreamPool* pool,
                      const net::any_io_executor& executor, std::shared_ptr<EarlyUpstream> early = nullptr);
    ~PooledTlsUpstream();

    /// The connection for the next request when it needs no waiting: the one held, else an idle
    /// pooled one; nullptr when get() must connect. A plain function, so that a kept-alive
    /// request makes no coroutine frame for it. `replayable`: the request can go again on a new
    /// connection (relay_exchange's stale retry), so a connection filed in the last
    /// `unchecked_reuse` is lent without the read that checks it.
    TlsStream* ready(bool replayable);
    /// The connection for the next request: as ready(false), else a new one; nullptr when
    /// connecting failed (logged).
    net::awaitable<TlsStream*> get(const beast::http::request_header<>& req);
    /// A new connection from outside the pool, replacing the held one (the stale-retry path).
    net::awaitable<TlsStream*> get_fresh(const beast::http::request_header<>& req);
    /// Proxy-only headers removed.
    void prepare(beast::http::request_header<>& req);
    beast::flat_buffer& buffer() { return buffer_; }
    /// Forgets the held connection (it broke, or holds half a message).
    void drop();
    /// After a complete response: `reusable` when both it and the upstream allow keep-alive.
    void done(bool reusable);
    /// True when the connection get() returned came from the pool (a stale one may fail).
    bool reused() const { return reused_; }
    /// The deadline of the held connection's waits for a response header (null: none held).
    IdleWatch* response_watch();
    /// The `upstream_conn` id of the held connection (0: none).
    std::uint64_t id() const { return held_.id; }

private:
    /// The first request's connection when no idle one waited: the early one, once its attempt
    /// has ended (its `upstream` event, `early: true`, is emitted here).
    net::awaitable<TlsStream*> take_early();

    EngineState& state_;
    Connection& conn_;
    const HostPort& target_;
    const std::string& name_;
    UpstreamPool* pool_;
    std::string key_;
    /// Held until the first request: one that finds an idle pooled connection lets it go (to the
    /// pool, once it is up).
    std::shared_ptr<EarlyUpstream> early_;
    PooledUpstream held_;
    beast::flat_buffer buffer_;
    bool reused_ = false;
    std::uint64_t last_shown_ = 0;  ///< the id the last `upstream` event named
};

}  // namespace tlsfault::proxy
