// Which alert a failed client certificate can end the handshake with. OpenSSL picks that alert
// itself, from the X509 verification error (ssl_x509err2alert), so a rule's chosen alert is
// honoured by setting the verification error that maps to it; alerts no error maps to cannot be
// sent from there, and the loader refuses them.
#pragma once

#include "scenarios/model/tls_alert.hpp"

#include <optional>
#include <string>

namespace tlsfault::scenarios {

/// The X509_V_ERR_* code that makes OpenSSL send `alert` for a failed verification; nullopt
/// when none does.
std::optional<int> verify_error_for(TlsAlert alert);

/// "handshake_failure, bad_certificate, ...": the alerts verify_error_for() can produce.
std::string verify_alert_names();

/// A missing certificate ends with OpenSSL's own alert: certificate_required on TLS 1.3,
/// handshake_failure on TLS 1.2 and below. True for those two names.
bool missing_certificate_alert(TlsAlert alert);

}  // namespace tlsfault::scenarios
