// A kept-alive connection between two requests. It waits for the next request's first bytes on
// the socket's readiness alone: no read operation, no buffer and no parser exist until bytes
// arrive. A pending TLS read held its operation chain, a 512-byte ciphertext buffer and a
// 512-byte request buffer for every idle connection (see docs/performance.md, idle memory).
#pragma once

#include "proxy/core/net.hpp"

#include <chrono>

namespace tlsfault::proxy {

/// True when the socket has bytes to read (or the peer closed: the read says which) within
/// `idle`. On timeout the stream is closed, as Beast closes a stream whose read timed out.
net::awaitable<bool> wait_until_readable(beast::tcp_stream& stream, std::chrono::milliseconds idle);

/// Bytes read from the socket and not yet handed out (TLS records, decrypted or not): the next
/// read needs no socket readiness.
inline bool holds_unread_input(const beast::tcp_stream&) { return false; }
inline bool holds_unread_input(const TlsStream& tls) { return tls.holds_unread_input(); }

/// Frees buffers a drained stream keeps between requests.
inline void release_idle_buffers(beast::tcp_stream&) {}
inline void release_idle_buffers(TlsStream& tls) { tls.release_idle_buffers(); }

}  // namespace tlsfault::proxy
