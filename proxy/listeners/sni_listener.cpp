// An SNI-listener connection: no request precedes the TLS, so the target comes from the
// ClientHello, else the pre-REDIRECT destination, else the address the client connected to.
#include "proxy/listeners/sni_listener.hpp"

#include "proxy/listeners/listener.hpp"
#include "proxy/listeners/original_destination.hpp"
#include "proxy/session/tls_interception.hpp"

namespace tlsfault::proxy {

net::awaitable<void> handle_sni_connection(EngineState& state, tcp::socket socket) {
    error_code ec;
    auto peer = socket.remote_endpoint(ec);
    auto local = socket.local_endpoint(ec);
    const bool local_known = !ec;  // one getsockname per connection, shared with original_destination
    Connection conn(state.log, state.console, ListenerKind::sni, endpoint_text(peer), endpoint_text(local));
    InterceptTarget target;
    target.may_forward = state.forwards(ListenerKind::sni);
    if (auto original = local_known ? original_destination(socket, local) : std::nullopt) {
        target.destination = HostPort{original->address().to_string(), original->port()};
        conn.emit(conn.event("original_destination").add("address", target.destination->str()));
    }
    target.fallback_host = target.destination ? target.destination->host : local.address().to_string();
    socket.set_option(tcp::no_delay(true), ec);
    beast::tcp_stream stream(std::move(socket));  // one stream state for the connection (a move allocates another)
    co_await intercept_tls(state, conn, stream, beast::flat_buffer{}, std::move(target));
}

}  // namespace tlsfault::proxy
