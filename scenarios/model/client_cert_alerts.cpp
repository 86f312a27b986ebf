// The table below inverts OpenSSL 3's x509table (ssl/statem/statem_lib.c): for each alert, one
// verification error OpenSSL maps to it. An error missing from that table maps to
// certificate_unknown, hence X509_V_ERR_INVALID_EXTENSION for it.
#include "scenarios/model/client_cert_alerts.hpp"

#include <openssl/x509_vfy.h>

#include <utility>

namespace tlsfault::scenarios {
namespace {

constexpr std::pair<TlsAlert, int> alert_errors[] = {
    {TlsAlert::handshake_failure, X509_V_ERR_APPLICATION_VERIFICATION},
    {TlsAlert::bad_certificate, X509_V_ERR_CERT_REJECTED},
    {TlsAlert::unsupported_certificate, X509_V_ERR_INVALID_PURPOSE},
    {TlsAlert::certificate_revoked, X509_V_ERR_CERT_REVOKED},
    {TlsAlert::certificate_expired, X509_V_ERR_CERT_HAS_EXPIRED},
    {TlsAlert::certificate_unknown, X509_V_ERR_INVALID_EXTENSION},
    {TlsAlert::unknown_ca, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY},
    {TlsAlert::decrypt_error, X509_V_ERR_CERT_SIGNATURE_FAILURE},
    {TlsAlert::internal_error, X509_V_ERR_UNSPECIFIED},
};

}  // namespace

std::optional<int> verify_error_for(TlsAlert alert) {
    for (auto [a, error] : alert_errors)
        if (a == alert) return error;
    return std::nullopt;
}

std::string verify_alert_names() {
    std::string names;
    for (auto [a, error] : alert_errors) names += (names.empty() ? "" : ", ") + std::string(to_string(a));
    return names;
}

bool missing_certificate_alert(TlsAlert alert) { return alert == TlsAlert::certificate_required || alert == TlsAlert::handshake_failure; }

}  // namespace tlsfault::scenarios
