// A listening socket and its accept loop; each accepted socket is handed, on one of the engine's
// connection contexts (proxy/core/connection_contexts.hpp), to the listener's connection
// handler. The kinds (SNI, explicit proxy) differ only in that handler.
#pragma once

#include "proxy/core/engine_config.hpp"
#include "proxy/core/net.hpp"
#include "proxy/core/engine_state.hpp"

#include <functional>
#include <string>

namespace tlsfault::proxy {

/// Runs one accepted connection to its end.
using ConnectionHandler = std::function<net::awaitable<void>(EngineState&, tcp::socket)>;

class Listener {
public:
    /// Binds `address` (port 0: any free port) and emits the `listen` event. Throws
    /// std::runtime_error naming the address when it cannot bind (start-up time).
    Listener(net::io_context& ioc, EngineState& state, ListenerKind kind, const HostPort& address, ConnectionHandler handler);

    ListenerKind kind() const { return kind_; }
    /// The address actually bound (the real port when 0 was asked).
    const HostPort& bound() const { return bound_; }
    void start();
    /// Stops accepting; connections already accepted are not touched.
    void stop();

private:
    net::awaitable<void> accept_loop();
    /// Whether accepted connections go to the engine's connection contexts in turn.
    bool spreads() const;
    void note_accept_failure(const error_code& ec);
    void note_accept_recovered();
    net::io_context& ioc_;
    EngineState& state_;
    ListenerKind kind_;
    tcp::acceptor acceptor_;
    HostPort bound_;
    ConnectionHandler handler_;
    int accept_failures_ = 0;  ///< failed accepts in a row (touched by the accept loop only)
};

/// "127.0.0.1:50312" / "[::1]:50312".
std::string endpoint_text(const tcp::endpoint& endpoint);

}  // namespace tlsfault::proxy
