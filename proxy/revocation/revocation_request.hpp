// What a CRL/OCSP/caIssuers request asks for, read from its path alone. The failure mode is a
// path prefix, so a certificate chooses how its own revocation check fails through the URLs
// certgen writes into it: /crl/intermediate.crl answers truthfully,
// /blackhole/crl/intermediate.crl never answers, /try-later/ocsp/intermediate says tryLater.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace tlsfault::proxy {

enum class RevocationMode {
    truthful,           ///< the real answer: the CA's current CRL, OCSP from the revocation registry
    stale,              ///< CRL with nextUpdate in the past; OCSP answer with nextUpdate in the past
    wrong_key,          ///< CRL / OCSP response signed by a key that is not the CA's
    not_found,          ///< HTTP 404 instead of an answer
    server_error,       ///< HTTP 500 instead of an answer
    slow,               ///< the truthful answer after `delay`
    blackhole,          ///< reads the request, never answers (until the client gives up)
    good,               ///< OCSP: "good" whatever the registry says
    revoked,            ///< OCSP: "revoked" whatever the registry says
    unknown,            ///< OCSP: "unknown"
    try_later,          ///< OCSP: responseStatus tryLater
    unauthorized,       ///< OCSP: responseStatus unauthorized
    malformed_request,  ///< OCSP: responseStatus malformedRequest
    internal_error,     ///< OCSP: responseStatus internalError
    delegated,          ///< OCSP: signed by a delegated responder certificate
};

enum class RevocationResource {
    crl_der,  ///< /crl/<ca>.crl
    crl_pem,  ///< /crl/<ca>.crl.pem
    ca_der,   ///< /ca/<ca>.der  (AIA caIssuers)
    ca_pem,   ///< /ca/<ca>.pem
    ocsp,     ///< /ocsp/<ca> (POST) or /ocsp/<ca>/<base64 request> (GET)
};

struct RevocationRequest {
    RevocationMode mode = RevocationMode::truthful;
    std::chrono::seconds delay{0};  ///< for RevocationMode::slow ("slow-5s")
    RevocationResource resource = RevocationResource::crl_der;
    std::string ca;                ///< CA short name: root, intermediate, rogue-root
    std::string ocsp_get_payload;  ///< the DER request of a GET, decoded; empty for POST
};

/// Parses a request target (path and optional query). nullopt: not a revocation path.
std::optional<RevocationRequest> parse_revocation_target(std::string_view target);

/// "blackhole", "slow-5s", ...: the path prefix that selects `mode` (empty for truthful).
std::string revocation_path_prefix(RevocationMode mode, std::chrono::seconds delay = std::chrono::seconds(0));
std::string_view to_string(RevocationMode mode);
std::string_view to_string(RevocationResource resource);

/// RFC 6960 A.1 GET form: URL-decoding, then base64. nullopt when either is malformed.
std::optional<std::string> decode_ocsp_get_payload(std::string_view segment);

}  // namespace tlsfault::proxy
