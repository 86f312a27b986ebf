// TLS alert descriptions by their RFC 8446 / RFC 5246 names: the one alert enum and the one name
// table, for what scenarios write (tls.alert, client_cert.on_failure, expect) and for what the
// engine records (the alerts a connection sent and received, proxy/tls/alert_capture.hpp).
#pragma once

#include "common/name_table.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace tlsfault::scenarios {

/// The alert description byte (RFC 8446 section 6; the TLS 1.2 and older ones from RFC 5246).
enum class TlsAlert : std::uint8_t {
    close_notify = 0,
    unexpected_message = 10,
    bad_record_mac = 20,
    decryption_failed = 21,  ///< TLS 1.0 and older
    record_overflow = 22,
    decompression_failure = 30,  ///< TLS 1.2 and older
    handshake_failure = 40,
    no_certificate = 41,  ///< SSL 3.0
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
    export_restriction = 60,  ///< TLS 1.0
    protocol_version = 70,
    insufficient_security = 71,
    internal_error = 80,
    inappropriate_fallback = 86,
    user_canceled = 90,
    no_renegotiation = 100,  ///< TLS 1.2 and older
    missing_extension = 109,
    unsupported_extension = 110,
    certificate_unobtainable = 111,  ///< RFC 6066
    unrecognized_name = 112,
    bad_certificate_status_response = 113,
    bad_certificate_hash_value = 114,  ///< RFC 6066
    unknown_psk_identity = 115,
    certificate_required = 116,
    no_application_protocol = 120,
};

/// Every alert with its name, in code order: the only alert name table.
inline constexpr NameTable<TlsAlert, 34> tls_alert_table{{
    {TlsAlert::close_notify, "close_notify"},
    {TlsAlert::unexpected_message, "unexpected_message"},
    {TlsAlert::bad_record_mac, "bad_record_mac"},
    {TlsAlert::decryption_failed, "decryption_failed"},
    {TlsAlert::record_overflow, "record_overflow"},
    {TlsAlert::decompression_failure, "decompression_failure"},
    {TlsAlert::handshake_failure, "handshake_failure"},
    {TlsAlert::no_certificate, "no_certificate"},
    {TlsAlert::bad_certificate, "bad_certificate"},
    {TlsAlert::unsupported_certificate, "unsupported_certificate"},
    {TlsAlert::certificate_revoked, "certificate_revoked"},
    {TlsAlert::certificate_expired, "certificate_expired"},
    {TlsAlert::certificate_unknown, "certificate_unknown"},
    {TlsAlert::illegal_parameter, "illegal_parameter"},
    {TlsAlert::unknown_ca, "unknown_ca"},
    {TlsAlert::access_denied, "access_denied"},
    {TlsAlert::decode_error, "decode_error"},
    {TlsAlert::decrypt_error, "decrypt_error"},
    {TlsAlert::export_restriction, "export_restriction"},
    {TlsAlert::protocol_version, "protocol_version"},
    {TlsAlert::insufficient_security, "insufficient_security"},
    {TlsAlert::internal_error, "internal_error"},
    {TlsAlert::inappropriate_fallback, "inappropriate_fallback"},
    {TlsAlert::user_canceled, "user_canceled"},
    {TlsAlert::no_renegotiation, "no_renegotiation"},
    {TlsAlert::missing_extension, "missing_extension"},
    {TlsAlert::unsupported_extension, "unsupported_extension"},
    {TlsAlert::certificate_unobtainable, "certificate_unobtainable"},
    {TlsAlert::unrecognized_name, "unrecognized_name"},
    {TlsAlert::bad_certificate_status_response, "bad_certificate_status_response"},
    {TlsAlert::bad_certificate_hash_value, "bad_certificate_hash_value"},
    {TlsAlert::unknown_psk_identity, "unknown_psk_identity"},
    {TlsAlert::certificate_required, "certificate_required"},
    {TlsAlert::no_application_protocol, "no_application_protocol"},
}};

constexpr std::string_view to_string(TlsAlert alert) { return name_of(tls_alert_table, alert); }
constexpr std::optional<TlsAlert> parse_tls_alert(std::string_view name) { return value_of(tls_alert_table, name); }

/// The name of the alert with description byte `code`: "unknown_ca"; "alert_<n>" for codes
/// without a name (what a verdict records for an alert tlsfault cannot name).
std::string alert_name(std::uint8_t code);

}  // namespace tlsfault::scenarios
