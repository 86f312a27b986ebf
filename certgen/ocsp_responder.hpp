// RFC 6960 OCSP answers for the lab CAs, in every way a real responder answers or fails:
// the content behind tlsfault's OCSP listener and its OCSP staples.
#pragma once

#include "certgen/ca_store.hpp"
#include "certgen/issued_certificate.hpp"
#include "certgen/mirror/mirror_ca_registry.hpp"
#include "certgen/revocation_registry.hpp"

#include <openssl/ocsp.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tlsfault::certgen {

/// What the responder says, whatever the registry holds.
enum class OcspBehaviour {
    truthful,           ///< good, or revoked when the registry lists the serial; unknown for other issuers
    good,               ///< "good" for every serial
    revoked,            ///< "revoked" for every serial
    unknown,            ///< "unknown" for every serial
    try_later,          ///< responseStatus tryLater (3), no body
    unauthorized,       ///< responseStatus unauthorized (6)
    malformed_request,  ///< responseStatus malformedRequest (1)
    internal_error,     ///< responseStatus internalError (2)
};

std::string_view to_string(OcspBehaviour behaviour);
std::optional<OcspBehaviour> parse_ocsp_behaviour(std::string_view name);

struct OcspOptions {
    OcspBehaviour behaviour = OcspBehaviour::truthful;
    bool expired = false;              ///< thisUpdate 8 days ago, nextUpdate 1 day ago (a stale staple)
    bool delegated_responder = false;  ///< signed by a responder certificate (EKU OCSPSigning) instead of the CA
    bool wrong_key = false;            ///< signed by a key that is not the CA's (and not delegated)
    int revocation_reason = 1;         ///< for OcspBehaviour::revoked
};

/// A parsed OCSP response's first single response, for logs and tests.
struct OcspSummary {
    int response_status = -1;  ///< OCSP_RESPONSE_STATUS_*
    int cert_status = -1;      ///< V_OCSP_CERTSTATUS_* (-1 without a body)
    std::string serial_hex;
};

class OcspResponder {
public:
    /// `mirrors`, when given, adds the lab copies of customer CAs to the issuers it answers for.
    OcspResponder(const CaStore& cas, const RevocationRegistry& revocations, const MirrorCaRegistry* mirrors = nullptr);

    /// The DER response to a DER request. An unparsable request gets malformedRequest.
    /// `served` receives what was answered (for the event log).
    std::string respond(std::string_view request_der, const OcspOptions& options, OcspSummary* served = nullptr) const;

    /// A DER response about `cert`, to staple in a TLS handshake.
    std::string staple(const IssuedCertificate& cert, const OcspOptions& options) const;

    /// The responder certificate used when `delegated_responder` is set for `ca`.
    const X509* responder_certificate(const CertificateAuthority& ca) const;

private:
    std::shared_ptr<const CertificateAuthority> issuer_of(OCSP_CERTID* id) const;
    std::string answer(const std::vector<OCSP_CERTID*>& ids, const OcspOptions& options, OCSP_REQUEST* request, OcspSummary* served) const;

    const CaStore& cas_;
    const RevocationRegistry& revocations_;
    const MirrorCaRegistry* mirrors_;
    EvpPkeyPtr responder_key_;  // one key for every delegated responder and the "wrong key"
    mutable std::mutex mutex_;
    mutable std::map<std::string, X509Ptr> responder_certs_;  // per CA short name, made on first use
};

/// Parses a DER OCSP response; response_status -1 when it is not one.
OcspSummary summarize_ocsp_response(std::string_view der);

}  // namespace tlsfault::certgen
