#include "scenarios/model/tls_alert.hpp"

namespace tlsfault::scenarios {
namespace {

constexpr std::pair<std::string_view, TlsAlert> names[] = {
    {"close_notify", TlsAlert::close_notify},
    {"unexpected_message", TlsAlert::unexpected_message},
    {"bad_record_mac", TlsAlert::bad_record_mac},
    {"record_overflow", TlsAlert::record_overflow},
    {"handshake_failure", TlsAlert::handshake_failure},
    {"bad_certificate", TlsAlert::bad_certificate},
    {"unsupported_certificate", TlsAlert::unsupported_certificate},
    {"certificate_revoked", TlsAlert::certificate_revoked},
    {"certificate_expired", TlsAlert::certificate_expired},
    {"certificate_unknown", TlsAlert::certificate_unknown},
    {"illegal_parameter", TlsAlert::illegal_parameter},
    {"unknown_ca", TlsAlert::unknown_ca},
    {"access_denied", TlsAlert::access_denied},
    {"decode_error", TlsAlert::decode_error},
    {"decrypt_error", TlsAlert::decrypt_error},
    {"protocol_version", TlsAlert::protocol_version},
    {"insufficient_security", TlsAlert::insufficient_security},
    {"internal_error", TlsAlert::internal_error},
    {"inappropriate_fallback", TlsAlert::inappropriate_fallback},
    {"user_canceled", TlsAlert::user_canceled},
    {"missing_extension", TlsAlert::missing_extension},
    {"unsupported_extension", TlsAlert::unsupported_extension},
    {"unrecognized_name", TlsAlert::unrecognized_name},
    {"bad_certificate_status_response", TlsAlert::bad_certificate_status_response},
    {"unknown_psk_identity", TlsAlert::unknown_psk_identity},
    {"certificate_required", TlsAlert::certificate_required},
    {"no_application_protocol", TlsAlert::no_application_protocol},
};

}  // namespace

std::span<const std::pair<std::string_view, TlsAlert>> tls_alert_names() { return names; }

std::string_view to_string(TlsAlert alert) {
    for (auto [name, value] : names)
        if (value == alert) return name;
    return "unknown";
}

std::optional<TlsAlert> parse_tls_alert(std::string_view name) {
    for (auto [n, value] : names)
        if (n == name) return value;
    return std::nullopt;
}

}  // namespace tlsfault::scenarios
