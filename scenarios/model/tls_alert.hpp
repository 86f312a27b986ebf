// TLS alert descriptions by their RFC 8446 / RFC 5246 names, as scenarios and verdicts spell them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

namespace tlsfault::scenarios {

/// The alert description byte (RFC 8446 section 6).
enum class TlsAlert : std::uint8_t {
    close_notify = 0,
    unexpected_message = 10,
    bad_record_mac = 20,
    record_overflow = 22,
    handshake_failure = 40,
    bad_certificate = 42,
    unsupported_certificate = 43,
    certificate_revoked = 44,
    certificate_expired = 45,
    certificate_unknown = 46,
    illegal_parameter = 47,
    unknown_ca = 48,
    access_denied = 49,
    decode_error = 50,
    decrypt_error = 51,
    protocol_version = 70,
    insufficient_security = 71,
    internal_error = 80,
    inappropriate_fallback = 86,
    user_canceled = 90,
    missing_extension = 109,
    unsupported_extension = 110,
    unrecognized_name = 112,
    bad_certificate_status_response = 113,
    unknown_psk_identity = 115,
    certificate_required = 116,
    no_application_protocol = 120,
};

/// Every alert with its name, in code order.
std::span<const std::pair<std::string_view, TlsAlert>> tls_alert_names();
std::string_view to_string(TlsAlert alert);
std::optional<TlsAlert> parse_tls_alert(std::string_view name);

}  // namespace tlsfault::scenarios
