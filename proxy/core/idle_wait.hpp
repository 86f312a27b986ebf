// A kept-alive connection between two requests. It waits for the next request's first bytes on
// the socket's readiness alone: no read operation, no buffer and no parser exist until bytes
// arrive. A pending TLS read held its operation chain, a 512-byte ciphertext buffer and a
// 512-byte request buffer for every idle connection (docs/performance.md, idle memory).
#pragma once

#include "proxy/core/net.hpp"
#include "proxy/core/readable_edge.hpp"

#include <chrono>
#include <memory>

namespace tlsfault::proxy {

/// The deadline of a connection's waits for readiness: a client's next request, at most `idle`
/// each time; an upstream's response header (read_header.hpp), at most `idle` for the whole
/// header. One timer per connection, armed at most once per idle period rather than once per
/// wait: a timer armed and cancelled around every wait (or a parallel group of wait and timer)
/// cost about 1 µs per request, and Beast's deadline on a read costs as much.
class IdleWatch {
public:
    using Clock = std::chrono::steady_clock;

    IdleWatch(beast::tcp_stream& stream, std::chrono::milliseconds idle);
    /// A timer handler still queued finds no stream and does nothing.
    ~IdleWatch();
    IdleWatch(const IdleWatch&) = delete;
    IdleWatch& operator=(const IdleWatch&) = delete;

    /// Around the caller's own `co_await wait_readable(stream)` (no coroutine frame of its own
    /// per request): begin() before it, readable(ec) after it. After `idle` without a
    /// byte the stream is closed, as Beast closes a stream whose read timed out; readable()
    /// is then false, as it is when the wait failed.
    void begin() { begin(Clock::now() + limit()); }
    /// The same with the deadline given: `due` no earlier than that of any wait before (the
    /// timer, armed for an earlier wait, is moved on when it fires, never brought forward).
    void begin(Clock::time_point due);
    bool readable(const error_code& wait_ec);
    /// The last wait ended because its deadline passed (the stream is closed).
    bool expired() const;
    std::chrono::milliseconds limit() const;

private:
    struct Shared;
    static void arm(const std::shared_ptr<Shared>& shared, Clock::time_point at);
    std::shared_ptr<Shared> shared_;  // shared with the timer's handler, which may run after this ends
};

/// The wait itself. A TLS stream waits for the socket's readable edge (readable_edge.hpp: no
/// `epoll_ctl` per wait); its request reads keep that wait's contract, reading the socket at once
/// until a read comes back short. A plain stream is read through Beast's operations, which do
/// not, so it waits with Asio's async_wait.
inline auto wait_readable(TlsStream& tls) { return async_wait_readable(tls.next_layer().socket(), nothrow); }
inline auto wait_readable(beast::tcp_stream& plain) { return plain.socket().async_wait(tcp::socket::wait_read, nothrow); }

/// The last read of a TLS stream filled its buffer: the socket may already hold the next request,
/// and must be read before any wait for its edge (readable_edge.hpp's contract).
inline bool socket_may_hold_input(const beast::tcp_stream&) { return false; }
inline bool socket_may_hold_input(const TlsStream& tls) { return tls.input_likely(); }

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
