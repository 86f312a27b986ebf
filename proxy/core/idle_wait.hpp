// A kept-alive connection between two requests. It waits for the next request's first bytes on
// the socket's readiness alone: no read operation, no buffer and no parser exist until bytes
// arrive. A pending TLS read held its operation chain, a 512-byte ciphertext buffer and a
// 512-byte request buffer for every idle connection (docs/performance.md, idle memory).
#pragma once

#include "proxy/core/net.hpp"

#include <chrono>
#include <memory>

namespace tlsfault::proxy {

/// Waits for a connection's next request, at most `idle` each time. One timer per connection,
/// armed at most once per idle period rather than once per wait: a timer armed and cancelled
/// around every wait (or a parallel group of wait and timer) cost about 1 µs per request.
class IdleWatch {
public:
    IdleWatch(beast::tcp_stream& stream, std::chrono::milliseconds idle);
    /// A timer handler still queued finds no stream and does nothing.
    ~IdleWatch();
    IdleWatch(const IdleWatch&) = delete;
    IdleWatch& operator=(const IdleWatch&) = delete;

    /// Around the caller's own `co_await socket.async_wait(wait_read)` (no coroutine frame of
    /// its own per request): begin() before it, readable(ec) after it. After `idle` without a
    /// byte the stream is closed, as Beast closes a stream whose read timed out; readable()
    /// is then false, as it is when the wait failed.
    void begin();
    bool readable(const error_code& wait_ec);

private:
    struct Shared;
    static void arm(const std::shared_ptr<Shared>& shared, std::chrono::steady_clock::time_point at);
    std::shared_ptr<Shared> shared_;  // shared with the timer's handler, which may run after this ends
};

/// Bytes read from the socket and not yet handed out (TLS records, decrypted or not): the next
/// read needs no socket readiness.
inline bool holds_unread_input(const beast::tcp_stream&) { return false; }
inline bool holds_unread_input(const TlsStream& tls) { return tls.holds_unread_input(); }

/// The socket was seen readable: a TLS stream reads it at once rather than through the event loop.
inline void note_readable(beast::tcp_stream&) {}
inline void note_readable(TlsStream& tls) { tls.note_readable(); }

/// Frees buffers a drained stream keeps between requests.
inline void release_idle_buffers(beast::tcp_stream&) {}
inline void release_idle_buffers(TlsStream& tls) { tls.release_idle_buffers(); }

}  // namespace tlsfault::proxy
