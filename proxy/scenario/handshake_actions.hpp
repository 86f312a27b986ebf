// A rule's handshake actions on one connection's SSL: the chain sent with the leaf, the
// versions and ciphers allowed, and a client certificate asked for and checked. Each takes the
// SSL before the handshake starts; none throws.
#pragma once

#include "certgen/ca_store.hpp"
#include "certgen/issued_certificate.hpp"
#include "scenarios/model/certificate_action.hpp"
#include "scenarios/model/client_cert_action.hpp"
#include "scenarios/model/tls_action.hpp"

#include <openssl/ssl.h>

#include <optional>
#include <string>

namespace tlsfault::proxy {

/// Replaces the chain apply_certificate() set: leaf-only clears it; extra and custom add the
/// listed certificates. False (with the reason in `error`) when a certificate cannot be used.
bool apply_chain(SSL* ssl, const certgen::IssuedCertificate& cert, const scenarios::ChainAction& chain, const certgen::CaStore& cas,
                 std::string& error);

/// Sets versions, ciphers, groups and security level on this connection only.
bool apply_tls_settings(SSL* ssl, const scenarios::TlsAction& tls, std::string& error);

/// What the client-certificate check saw; lives as long as the SSL (the verify callback writes it).
struct ClientCertCheck {
    const scenarios::ClientCertAction* action = nullptr;
    bool presented = false;                    ///< the client sent a certificate (the verify callback ran)
    bool failed = false;                       ///< some certificate in the client's chain did not verify
    bool expired = false;                      ///< ... because it was expired
    std::optional<scenarios::TlsAlert> alert;  ///< the rule's alert the handshake was ended with
};

/// Sends a CertificateRequest (CA list as the action says) and verifies the answer against its
/// CA. A failure whose action is "continue" lets the handshake finish and is recorded in `check`;
/// one with an alert ends the handshake with that alert (the verification error is set to the
/// one OpenSSL maps to it).
bool request_client_certificate(SSL* ssl, const scenarios::ClientCertAction& action, const certgen::CaStore& cas, ClientCertCheck& check,
                                std::string& error);

}  // namespace tlsfault::proxy
