// The SNI listener: clients redirected by hosts file, DNS or iptables speak TLS to it directly;
// the SNI (or the original destination) says which host they wanted.
#pragma once

#include "proxy/core/net.hpp"
#include "proxy/core/engine_state.hpp"

namespace tlsfault::proxy {

/// The SNI listener's ConnectionHandler.
net::awaitable<void> handle_sni_connection(EngineState& state, tcp::socket socket);

}  // namespace tlsfault::proxy
