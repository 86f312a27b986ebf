// The message callback sees every alert OpenSSL reads or writes, decrypted (TLS 1.3 alerts are
// encrypted on the wire), which is the only reliable place to learn which alert a client sent.
#include "proxy/tls/alert_capture.hpp"

namespace tlsfault::proxy {
namespace {

void on_message(int write_p, int /*version*/, int content_type, const void* buf, size_t len, SSL* /*ssl*/, void* arg) {
    if (content_type != SSL3_RT_ALERT || len < 2 || arg == nullptr) return;
    auto* capture = static_cast<AlertCapture*>(arg);
    const auto* bytes = static_cast<const unsigned char*>(buf);
    AlertRecord alert{bytes[0], bytes[1]};
    if (alert.description == static_cast<std::uint8_t>(scenarios::TlsAlert::close_notify)) {
        if (!write_p) capture->received_close_notify = true;
        return;
    }
    auto& slot = write_p ? capture->sent : capture->received;
    if (!slot) slot = alert;
}

}  // namespace

void install_alert_capture(SSL* ssl, AlertCapture& capture) {
    SSL_set_msg_callback(ssl, on_message);
    SSL_set_msg_callback_arg(ssl, &capture);
}

}  // namespace tlsfault::proxy
