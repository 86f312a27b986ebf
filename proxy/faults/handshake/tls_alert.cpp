// tls_alert: one plaintext fatal alert record, written by tlsfault itself (not OpenSSL), so the
// alert is exactly the one the rule names. Then it keeps reading for the linger: real clients
// only report the alert once they read it, and an early close turns it into "broken pipe".
#include "proxy/faults/handshake/handshake_fault.hpp"

#include "proxy/tls/alert_linger.hpp"
#include "proxy/tls/failure_verdict.hpp"

#include "scenarios/model/faults/tls_alert_fault.hpp"

#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>

namespace tlsfault::proxy::faults {

template <>
net::awaitable<std::optional<Verdict>> run_handshake_fault(const scenarios::TlsAlertSettings& settings, HandshakeFaultContext& context) {
    Verdict v;
    v.phase = Phase::handshake;
    v.sent_alert = settings.alert;
    const std::string alert = alert_text(settings.alert);
    context.fault_event.add("alert", alert);
    context.announce();
    // TLS 1.3 keeps 0x0303 on the record layer; older clients get their own version back.
    const std::uint16_t version = std::clamp<std::uint16_t>(context.client_version, 0x0301, 0x0303);
    const std::array<std::uint8_t, 7> record{
        0x15, static_cast<std::uint8_t>(version >> 8),  static_cast<std::uint8_t>(version & 0xff), 0x00, 0x02,
        0x02, static_cast<std::uint8_t>(settings.alert)};
    auto& stream = context.stream;
    stream.expires_after(std::chrono::seconds(5));
    auto [wec, written] = co_await net::async_write(stream, net::buffer(record), nothrow);
    error_code ec = wec;
    if (!ec) ec = co_await read_until_peer_closes(stream, settings.linger);
    if (ec == beast::error::timeout) {
        v.outcome = Outcome::aborted;
        v.reason = "sent " + alert + "; the client was still connected after the linger, closed by tlsfault";
    } else {
        auto classified = classify_failure(Phase::handshake, ec, nullptr);
        v.outcome = classified.outcome;
        v.reason = "sent " + alert + "; then " + classified.reason;
    }
    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);  // FIN
    stream.socket().close(ignored);
    co_return v;
}

}  // namespace tlsfault::proxy::faults
