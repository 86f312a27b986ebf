// The explicit HTTP proxy listener: `CONNECT host:port` is intercepted (TLS terminated with a
// lab certificate for host); absolute-form plain-HTTP requests go to the scenario rules, then
// are forwarded.
#pragma once

#include "proxy/core/net.hpp"
#include "proxy/core/engine_state.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace tlsfault::proxy {

/// The explicit proxy's ConnectionHandler.
net::awaitable<void> handle_proxy_connection(EngineState& state, tcp::socket socket);

/// True when `header_value` (a Proxy-Authorization value) carries Basic credentials equal to
/// `user_colon_pass`.
bool proxy_credentials_match(std::string_view header_value, std::string_view user_colon_pass);

}  // namespace tlsfault::proxy
