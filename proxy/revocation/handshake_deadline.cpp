#include "proxy/revocation/handshake_deadline.hpp"

#include <boost/asio/steady_timer.hpp>

#include <memory>

namespace tlsfault::proxy {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds poll_interval{100};

/// Shared by the handshake and its watchdog; both run on the connection's executor (its strand).
struct Watch {
    explicit Watch(const net::any_io_executor& executor) : timer(executor) {}
    net::steady_timer timer;
    bool handshake_done = false;
    bool timed_out = false;
};

/// Sleeps until the deadline (one timer wait when no fetch is linked); while a linked fetch is
/// in flight then, looks again every poll_interval and moves the deadline to after_fetch_grace
/// after it. When the deadline really passes, cancels the socket's pending operations so that
/// the handshake ends.
net::awaitable<void> watchdog(std::shared_ptr<Watch> watch, tcp::socket* socket, Clock::time_point deadline,
                              const RevocationService* revocation, std::uint64_t conn) {
    for (;;) {
        watch->timer.expires_at(deadline);
        co_await watch->timer.async_wait(nothrow);
        if (watch->handshake_done) co_return;  // the handshake ended first: `socket` may be gone
        if (!revocation->fetch_in_flight(conn)) break;
        while (revocation->fetch_in_flight(conn)) {
            watch->timer.expires_after(poll_interval);
            co_await watch->timer.async_wait(nothrow);
            if (watch->handshake_done) co_return;
        }
        deadline = Clock::now() + after_fetch_grace;
    }
    watch->timed_out = true;
    error_code ignored;
    socket->cancel(ignored);
}

}  // namespace

net::awaitable<std::pair<error_code, std::size_t>> handshake_awaiting_revocation(TlsStream& tls, net::const_buffer initial,
                                                                                 std::chrono::milliseconds timeout,
                                                                                 const RevocationService& revocation, std::uint64_t conn) {
    tls.next_layer().expires_never();  // the watchdog keeps the deadline instead
    auto watch = std::make_shared<Watch>(tls.get_executor());
    net::co_spawn(tls.get_executor(), watchdog(watch, &tls.next_layer().socket(), Clock::now() + timeout, &revocation, conn),
                  net::detached);
    auto [ec, used] = co_await tls.async_handshake(ssl::stream_base::server, initial, nothrow);
    watch->handshake_done = true;
    watch->timer.cancel();
    if (watch->timed_out) ec = beast::error::timeout;
    co_return std::pair{ec, used};
}

}  // namespace tlsfault::proxy
