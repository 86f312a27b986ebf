// Captures the TLS alerts a connection receives and sends, through OpenSSL's message callback:
// the received alert is the client's own words about our certificate ("unknown_ca", ...).
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <optional>
#include <string>

namespace tlsfault::proxy {

struct TlsAlert {
    std::uint8_t level = 0;        ///< 1 warning, 2 fatal
    std::uint8_t description = 0;  ///< RFC 8446 6.2 code
};

/// Alerts seen on one SSL; owned by the session, which outlives the SSL's handshake and reads.
struct AlertCapture {
    std::optional<TlsAlert> received;  ///< the first received alert other than close_notify
    std::optional<TlsAlert> sent;      ///< the first alert we sent other than close_notify
    bool received_close_notify = false;
};

/// Installs the message callback on `ssl`, writing into `capture` (which must outlive `ssl`'s use).
void install_alert_capture(SSL* ssl, AlertCapture& capture);

/// "unknown_ca", "certificate_expired", ...; "alert_<n>" for codes without a name.
std::string alert_name(std::uint8_t description);

}  // namespace tlsfault::proxy
