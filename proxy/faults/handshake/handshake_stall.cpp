// handshake_stall: holds the ServerHello back for the stall's duration, reading (and keeping)
// whatever the client sends meanwhile; then the handshake goes on, or the connection closes.
#include "proxy/faults/handshake/handshake_fault.hpp"

#include "proxy/tls/failure_verdict.hpp"

#include "scenarios/model/faults/handshake_stall.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>

namespace tlsfault::proxy::faults {
namespace {

/// Keeps what the client sends during a stall (it belongs to the handshake); returns its error,
/// or no error once it has sent more than 1 MB (a client that floods ends the stall).
net::awaitable<error_code> read_during_stall(tcp::socket& socket, beast::flat_buffer& buffer) {
    for (;;) {
        auto [ec, n] = co_await socket.async_read_some(buffer.prepare(16 * 1024), nothrow);
        buffer.commit(n);
        if (ec) co_return ec;
        if (buffer.size() > 1024 * 1024) co_return error_code{};
    }
}

}  // namespace

template <>
net::awaitable<std::optional<Verdict>> run_handshake_fault(const scenarios::HandshakeStallSettings& settings,
                                                           HandshakeFaultContext& context) {
    using namespace net::experimental::awaitable_operators;
    context.fault_event.add("duration_ms", static_cast<std::int64_t>(settings.duration.count()));
    context.announce();
    auto& stream = context.stream;
    // A timer of its own, not the stream's expiry: that closes the socket when it fires, and a
    // stall that resumes needs the socket for the handshake.
    stream.expires_never();
    net::steady_timer stall(stream.get_executor(), settings.duration);
    auto ended = co_await (read_during_stall(stream.socket(), context.buffer) || stall.async_wait(nothrow_awaitable));
    if (ended.index() == 0) {
        if (auto ec = std::get<0>(ended)) {
            auto v = classify_failure(Phase::handshake, ec, nullptr);
            v.reason = "during the stall: " + v.reason;
            co_return v;
        }
    }
    if (settings.then == scenarios::HandshakeStallSettings::Then::resume) co_return std::nullopt;
    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.socket().close(ignored);
    co_return Verdict{Outcome::aborted, Phase::handshake, {}, {}, "stalled, then closed by the rule"};
}

}  // namespace tlsfault::proxy::faults
