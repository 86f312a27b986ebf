// Upstream connection set-up. A name is resolved by the system resolver (an IP address is
// used as it is); the connect and the handshake each have the configured upstream timeout.
#include "proxy/relay/upstream_connect.hpp"

#include "proxy/core/tls_stream.hpp"

#include "proxy/tls/server_context.hpp"
#include "proxy/tls/upstream_context.hpp"

#include <boost/asio/steady_timer.hpp>

#include <openssl/x509.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

namespace tlsfault::proxy {
namespace {

/// Whether the socket's connect, begun without blocking, has completed without error.
error_code connect_result(tcp::socket& socket) {
    int error = 0;
    socklen_t size = sizeof error;
    if (::getsockopt(socket.native_handle(), SOL_SOCKET, SO_ERROR, &error, &size) != 0) error = errno;
    return error_code(error, boost::system::system_category());
}

/// Connects to one address, with no wait at all when the kernel completes the connection within
/// the call (loopback and near hosts, usually): the caller's TLS ClientHello then goes out before
/// its coroutine first waits. For an early connection (early_upstream.hpp) that is before the
/// client's handshake flight is even made, so the upstream works on its handshake while
/// tlsfault mints and signs; an Asio connect would complete at the next turn of the event loop,
/// after that flight. Otherwise waits, at most `timeout`, for the socket to become writable.
net::awaitable<error_code> connect_one(tcp::socket& socket, const tcp::endpoint& to, std::chrono::milliseconds timeout) {
    error_code ec;
    socket.open(to.protocol(), ec);
    if (!ec) socket.non_blocking(true, ec);
    if (ec) co_return ec;
    if (::connect(socket.native_handle(), to.data(), static_cast<socklen_t>(to.size())) == 0) co_return error_code{};
    if (errno != EINPROGRESS) co_return error_code(errno, boost::system::system_category());
    pollfd connecting{socket.native_handle(), POLLOUT, 0};
    if (::poll(&connecting, 1, 0) == 1) co_return connect_result(socket);
    net::steady_timer deadline(socket.get_executor(), timeout);
    deadline.async_wait([&socket](const error_code& e) {
        error_code ignored;
        if (!e) socket.cancel(ignored);  // expired: ends the wait below (aborted). Cancelled: touches nothing
    });
    auto [wec] = co_await socket.async_wait(tcp::socket::wait_write, nothrow);
    // cancel() is 0 when the deadline had already fired: an aborted wait then means it timed out.
    // A deadline destroyed unfired calls its handler with an error, which touches nothing.
    const bool expired = deadline.cancel() == 0;
    if (expired && wec == net::error::operation_aborted) co_return net::error::timed_out;
    if (wec) co_return wec;
    co_return connect_result(socket);
}

/// Resolves and connects. With OwnListenerPolicy::refuse, a name that resolves to one of
/// tlsfault's own listeners is refused (access_denied): a tunnel from tlsfault into itself could
/// nest without end. An IP address is not resolved: the system resolver runs on a thread of its
/// own, and the hop there and back cost an address (--upstream-address 127.0.0.1:8443) a
/// thread switch and a turn of the event loop before the connect could start.
net::awaitable<error_code> connect_tcp(const EngineState& state, OwnListenerPolicy policy, beast::tcp_stream& stream,
                                       const HostPort& target, std::chrono::milliseconds timeout, std::string& address) {
    tcp::resolver::results_type results;
    error_code not_an_address;
    const auto literal = net::ip::make_address(target.host, not_an_address);
    if (!not_an_address) {
        const std::string port = std::to_string(target.port);
        results = tcp::resolver::results_type::create(tcp::endpoint(literal, target.port), target.host, port);
    } else {
        tcp::resolver resolver(co_await net::this_coro::executor);
        auto [rec, resolved] = co_await resolver.async_resolve(target.host, std::to_string(target.port), nothrow);
        if (rec) co_return rec;
        results = std::move(resolved);
    }
    for (const auto& entry : results)
        if (policy == OwnListenerPolicy::refuse && state.own_listeners.reached_by(entry.endpoint().address(), entry.endpoint().port()))
            co_return net::error::access_denied;
    error_code cec;
    tcp::endpoint endpoint;
    if (results.size() == 1) {
        endpoint = results.begin()->endpoint();
        cec = co_await connect_one(stream.socket(), endpoint, timeout);
    } else {  // several addresses: Beast tries each in turn, within the one deadline
        stream.expires_after(timeout);
        auto [range_ec, connected] = co_await stream.async_connect(results, nothrow_awaitable);
        cec = range_ec;
        endpoint = connected;
    }
    if (!cec) {
        address = HostPort{endpoint.address().to_string(), endpoint.port()}.str();
        error_code ignored;
        stream.socket().set_option(tcp::no_delay(true), ignored);
    }
    co_return cec;
}

/// The `error` of a failed upstream event.
std::string connect_error_text(const error_code& ec) {
    if (ec == net::error::access_denied) return "refused: the target is one of tlsfault's own listeners";
    return ec.message();
}

JsonLine upstream_event(Connection& conn, const HostPort& target, bool tls) {
    auto line = conn.event("upstream");
    line.add("target", target.str()).add("tls", tls);
    return line;
}

}  // namespace

net::awaitable<std::unique_ptr<beast::tcp_stream>> connect_plain_upstream(EngineState& state, Connection& conn, const HostPort& target,
                                                                          OwnListenerPolicy policy) {
    auto stream = std::make_unique<beast::tcp_stream>(co_await net::this_coro::executor);
    std::string address;
    auto ec = co_await connect_tcp(state, policy, *stream, target, state.config.timeouts.upstream_connect, address);
    auto line = upstream_event(conn, target, false);
    if (ec) {
        conn.emit(line.add("ok", false).add("stage", "connect").add("error", connect_error_text(ec)));
        co_return nullptr;
    }
    conn.emit(line.add("ok", true).add("address", address));
    co_return stream;
}

net::awaitable<TlsUpstreamAttempt> attempt_tls_upstream(EngineState& state, HostPort target, std::string name, UpstreamPool* pool,
                                                        std::string key) {
    TlsUpstreamAttempt attempt;
    PooledUpstream& up = attempt.up;
    auto stream = std::make_unique<TlsStream>(co_await net::this_coro::executor, state.upstream_tls);
    auto ec = co_await connect_tcp(state, OwnListenerPolicy::refuse, stream->next_layer(), target, state.config.timeouts.upstream_connect,
                                   up.address);
    if (ec) {
        attempt.stage = "connect";
        attempt.error = connect_error_text(ec);
        co_return attempt;
    }
    up.id = next_upstream_id();
    attempt.verified = state.config.upstream_verify != UpstreamVerify::off;
    if (!prepare_upstream_ssl(stream->native_handle(), name, attempt.verified)) {
        attempt.stage = "tls";
        attempt.error = "bad server name: " + drain_openssl_errors();
        co_return attempt;
    }
    if (pool) pool->offer_session(key, stream->native_handle());
    stream->next_layer().expires_after(state.config.timeouts.upstream_connect);
    auto [hec] = co_await stream->async_handshake(ssl::stream_base::client, nothrow);
    SSL* ssl = stream->native_handle();
    if (hec) {
        attempt.stage = "tls";
        attempt.error = hec.message();
        long verify_result = SSL_get_verify_result(ssl);
        if (verify_result != X509_V_OK) attempt.verify_error = X509_verify_cert_error_string(verify_result);
        co_return attempt;
    }
    attempt.tls_version = SSL_get_version(ssl);
    attempt.resumed = SSL_session_reused(ssl) == 1;
    up.stream = std::move(stream);
    co_return attempt;
}

void emit_upstream_attempt(Connection& conn, const HostPort& target, const TlsUpstreamAttempt& attempt, bool early) {
    auto line = upstream_event(conn, target, true);
    if (line.muted()) return;
    const PooledUpstream& up = attempt.up;
    if (up.id != 0) line.add("address", up.address).add("upstream_conn", up.id).add("reused", false);
    if (early) line.add("early", true);
    if (!up.stream) {
        line.add("ok", false).add("stage", attempt.stage).add("error", attempt.error);
        if (!attempt.verify_error.empty()) line.add("verify_error", attempt.verify_error);
    } else {
        line.add("ok", true).add("tls_version", attempt.tls_version).add("verified", attempt.verified).add("resumed", attempt.resumed);
    }
    conn.emit(line);
}

net::awaitable<PooledUpstream> connect_tls_upstream(EngineState& state, Connection& conn, const HostPort& target, const std::string& name,
                                                    UpstreamPool* pool, const std::string& key) {
    auto attempt = co_await attempt_tls_upstream(state, target, name, pool, key);
    emit_upstream_attempt(conn, target, attempt, false);
    co_return std::move(attempt.up);
}

void emit_reused_upstream(EngineState& state, Connection& conn, const HostPort& target, const PooledUpstream& up) {
    auto line = upstream_event(conn, target, true);
    conn.emit(line.add("ok", true)
                  .add("address", up.address)
                  .add("upstream_conn", up.id)
                  .add("reused", true)
                  .add("tls_version", SSL_get_version(up.stream->native_handle()))
                  .add("verified", state.config.upstream_verify != UpstreamVerify::off));
}

}  // namespace tlsfault::proxy
