// An SNI-listener connection: no request precedes the TLS, so the target comes from the
// ClientHello, else the pre-REDIRECT destination, else the address the client connected to.
#include "proxy/listeners/sni_listener.hpp"

#include "proxy/listeners/listener.hpp"
#include "proxy/listeners/original_destination.hpp"
#include "proxy/session/tls_interception.hpp"

namespace tlsfault::proxy {

namespace {

/// The connection's record, from the socket's two ends. `local` receives the address the client
/// connected to (one getsockname per connection, shared with sni_target).
Connection sni_connection(EngineState& state, const tcp::socket& socket, std::optional<tcp::endpoint>& local) {
    error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    const auto here = socket.local_endpoint(ec);
    if (!ec) local = here;
    return Connection(state.log, state.console, ListenerKind::sni, endpoint_text(peer), endpoint_text(here));
}

/// Where the client meant to go, as far as the socket says.
InterceptTarget sni_target(EngineState& state, Connection& conn, tcp::socket& socket, const std::optional<tcp::endpoint>& local) {
    InterceptTarget target;
    target.may_forward = state.forwards(ListenerKind::sni);
    if (auto original = local ? original_destination(socket, *local) : std::nullopt) {
        target.destination = HostPort{original->address().to_string(), original->port()};
        conn.emit(conn.event("original_destination").add("address", target.destination->str()));
    }
    target.fallback_host = target.destination ? target.destination->host : local.value_or(tcp::endpoint{}).address().to_string();
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    return target;
}

}  // namespace

/// The steps that need no waiting are plain functions: this frame lives as long as the connection.
net::awaitable<void> handle_sni_connection(EngineState& state, tcp::socket socket) {
    std::optional<tcp::endpoint> local;
    Connection conn = sni_connection(state, socket, local);
    InterceptTarget target = sni_target(state, conn, socket, local);
    beast::tcp_stream stream(std::move(socket));  // one stream state for the connection (a move allocates another)
    co_await intercept_tls(state, conn, stream, beast::flat_buffer{}, std::move(target));
}

}  // namespace tlsfault::proxy
