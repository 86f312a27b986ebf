// Linux SO_ORIGINAL_DST: where a connection was headed before an iptables REDIRECT sent it to us.
#pragma once

#include "proxy/core/net.hpp"

#include <optional>

namespace tlsfault::proxy {

/// The pre-NAT destination of `socket` when it differs from `local` (the socket's local
/// endpoint, which the caller has already read); nullopt when the connection was not redirected
/// (or the platform cannot tell).
std::optional<tcp::endpoint> original_destination(tcp::socket& socket, const tcp::endpoint& local);

}  // namespace tlsfault::proxy
