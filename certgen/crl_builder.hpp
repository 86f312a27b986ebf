// Builds the CRL a lab CA publishes.
#pragma once

#include "certgen/certificate_authority.hpp"
#include "certgen/revocation_registry.hpp"

#include <cstdint>
#include <vector>

namespace tlsfault::certgen {

struct CrlOptions {
    std::int64_t this_update_offset = -3600;      ///< seconds from now
    std::int64_t next_update_offset = 7 * 86400;  ///< seconds from now
    /// A stale CRL: thisUpdate 30 days ago, nextUpdate 1 day ago.
    bool stale = false;
    std::int64_t crl_number = 1;
    /// Sign with this key instead of the CA's: a CRL whose signature does not verify.
    EVP_PKEY* wrong_signing_key = nullptr;
};

/// A v2 CRL signed by `ca` listing `revoked` (entries for other issuers are skipped).
X509CrlPtr build_crl(const CertificateAuthority& ca, const std::vector<RevokedEntry>& revoked, const CrlOptions& options = {});

}  // namespace tlsfault::certgen
