// Captures the TLS alerts a connection receives and sends, through OpenSSL's message callback:
// the received alert is the client's own words about our certificate ("unknown_ca", ...).
#pragma once

#include "scenarios/model/tls_alert.hpp"

#include <openssl/ssl.h>

#include <cstdint>
#include <optional>
#include <string>

namespace tlsfault::proxy {

/// One alert record as it was on the wire. The description stays a byte: a peer may send a
/// code without a name (scenarios::alert_name then says "alert_<n>").
struct AlertRecord {
    std::uint8_t level = 0;        ///< 1 warning, 2 fatal
    std::uint8_t description = 0;  ///< RFC 8446 6.2 code (scenarios::TlsAlert)
};

/// Alerts seen on one SSL; owned by the session, which outlives the SSL's handshake and reads.
struct AlertCapture {
    std::optional<AlertRecord> received;  ///< the first received alert other than close_notify
    std::optional<AlertRecord> sent;      ///< the first alert we sent other than close_notify
    bool received_close_notify = false;
};

/// Installs the message callback on `ssl`, writing into `capture` (which must outlive `ssl`'s use).
void install_alert_capture(SSL* ssl, AlertCapture& capture);

/// "unknown_ca", "certificate_expired", ...; "alert_<n>" for codes without a name. The names
/// are scenarios::tls_alert_table's, the same that scenario files and `expect` use.
using scenarios::alert_name;

}  // namespace tlsfault::proxy
