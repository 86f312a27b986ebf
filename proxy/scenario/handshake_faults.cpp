// Handshake faults on the raw TCP stream: nothing here goes through OpenSSL, so the alert sent is
// exactly the one the rule names, whatever OpenSSL would have said.
#include "proxy/scenario/handshake_faults.hpp"

#include "proxy/faults/reset.hpp"
#include "proxy/tls/alert_capture.hpp"
#include "proxy/tls/failure_verdict.hpp"
#include "proxy/tls/alert_linger.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <memory>

namespace tlsfault::proxy {
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

net::awaitable<Verdict> async_send_alert(beast::tcp_stream& stream, const scenarios::TlsAlertSettings& settings,
                                         std::uint16_t client_version) {
    // TLS 1.3 keeps 0x0303 on the record layer; older clients get their own version back.
    const std::uint16_t version = std::clamp<std::uint16_t>(client_version, 0x0301, 0x0303);
    const std::array<std::uint8_t, 7> record{0x15, static_cast<std::uint8_t>(version >> 8), static_cast<std::uint8_t>(version & 0xff),
                                             0x00, 0x02, 0x02, static_cast<std::uint8_t>(settings.alert)};
    Verdict v;
    v.phase = Phase::handshake;
    v.sent_alert = alert_name(static_cast<std::uint8_t>(settings.alert));
    stream.expires_after(std::chrono::seconds(5));
    auto [wec, written] = co_await net::async_write(stream, net::buffer(record), nothrow);
    error_code ec = wec;
    if (!ec) ec = co_await read_until_peer_closes(stream, settings.linger);
    if (ec == beast::error::timeout) {
        v.outcome = Outcome::aborted;
        v.reason = "sent " + v.sent_alert + "; the client was still connected after the linger, closed by tlsfault";
    } else {
        auto classified = classify_failure(Phase::handshake, ec, nullptr);
        v.outcome = classified.outcome;
        v.reason = "sent " + v.sent_alert + "; then " + classified.reason;
    }
    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);  // FIN
    stream.socket().close(ignored);
    co_return v;
}

net::awaitable<Verdict> async_close_after_hello(beast::tcp_stream& stream) {
    error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);  // FIN: the client reads end of stream
    if (!ec) ec = co_await read_until_peer_closes(stream, close_linger);
    Verdict v{Outcome::closed, Phase::handshake, {}, {}, "closed by the rule after the ClientHello (FIN, no alert)"};
    if (ec == beast::error::timeout) v.reason += "; the client was still connected after " + std::to_string(close_linger.count()) + " ms";
    else if (ec == net::error::eof) v.reason += "; the client closed too";
    else v.reason += "; then " + classify_failure(Phase::handshake, ec, nullptr).reason;
    error_code ignored;
    stream.socket().close(ignored);
    co_return v;
}

Verdict reset_connection(beast::tcp_stream& stream) {
    faults::close_with_reset(stream.socket());
    // Outcome reset, as for the tcp reset fault: how the connection ended; the reason says who.
    return Verdict{Outcome::reset, Phase::handshake, {}, {}, "reset by the rule after the ClientHello"};
}

net::awaitable<std::optional<Verdict>> async_stall(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                                   const scenarios::HandshakeStallSettings& settings) {
    using namespace net::experimental::awaitable_operators;
    // A timer of its own, not the stream's expiry: that closes the socket when it fires, and a
    // stall that resumes needs the socket for the handshake.
    stream.expires_never();
    net::steady_timer stall(stream.get_executor(), settings.duration);
    auto ended = co_await (read_during_stall(stream.socket(), buffer) || stall.async_wait(nothrow));
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

}  // namespace tlsfault::proxy
