// After a fatal alert tlsfault sends, its close waits: Java and Chromium report the alert itself
// only while the socket is still readable; an immediate close turns it into "broken pipe" or
// "socket not connected" at random. So tlsfault keeps reading (and dropping) briefly first.
#pragma once

#include "proxy/core/net.hpp"

#include <chrono>

namespace tlsfault::proxy {

/// How long tlsfault keeps reading after a fatal alert OpenSSL sent for it (a rule's own
/// `tls.alert` has its `linger` setting, with the same default).
inline constexpr std::chrono::milliseconds alert_linger{500};

/// Reads and drops what the client sends until it closes, errs, or `linger` passes (then
/// beast::error::timeout). A client that read the alert closes at once, so it waits no longer.
net::awaitable<error_code> read_until_peer_closes(beast::tcp_stream& stream, std::chrono::milliseconds linger);

}  // namespace tlsfault::proxy
