// `client_cert`: mutual TLS aimed at the client — ask for a certificate, choose the CA list
// sent in the CertificateRequest, verify what comes back, and decide what a failure does.
#pragma once

#include "scenarios/model/certificate_action.hpp"
#include "scenarios/model/tls_alert.hpp"
#include "scenarios/model/yaml_reader.hpp"

#include <optional>

namespace tlsfault::scenarios {

struct ClientCertAction {
    enum class Mode {
        request,  ///< ask; a client without one may go on
        require,  ///< ask and insist (IIS "require SSL client certificates", 403.7)
    };
    /// The certificate_authorities list in the CertificateRequest.
    enum class CaList {
        real,   ///< the subject of verify_ca
        empty,  ///< no names: the client must guess (some pick none)
        bogus,  ///< a CA nobody has: clients that filter by it send nothing
    };
    Mode mode = Mode::require;
    CaList ca_list = CaList::real;
    /// The CA client certificates are verified against (lab-root by default).
    ChainCertificate verify_ca{ChainCertificate::Source::lab_root, {}};
    /// What each failure does: a fatal alert, or nullopt to finish the handshake and let an
    /// HTTP rule answer (match.client_cert.presented / valid).
    std::optional<TlsAlert> on_missing;
    std::optional<TlsAlert> on_untrusted;
    std::optional<TlsAlert> on_expired;
};

/// Defaults: `require` fails with certificate_required / unknown_ca / certificate_expired;
/// `request` lets every failure through to HTTP. `on_failure: continue` or an alert name sets
/// all three; a mapping {missing, untrusted, expired} sets them one by one.
std::optional<ClientCertAction> parse_client_cert_action(const YAML::Node& node, const std::string& path, Diagnostics& diag);

}  // namespace tlsfault::scenarios
