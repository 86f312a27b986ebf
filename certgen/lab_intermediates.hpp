// The lab intermediates' own revocation pointers. A client that checks the whole chain (Java
// with com.sun.net.ssl.checkRevocation, Windows CryptoAPI) asks about the intermediate too, so
// it names the root's CRL and OCSP on tlsfault's revocation listener. That address is known
// only once the listener is bound: the intermediate is then re-issued for it (same key, subject
// and validity, a new serial), in memory. Each IntermediateStatus other than good has its own
// stand-in intermediate (a fresh key per process), so a scenario's choice changes nobody else's.
#pragma once

#include "certgen/cert_profile.hpp"
#include "certgen/certificate_authority.hpp"

#include <string>
#include <vector>

namespace tlsfault::certgen {

/// Where an intermediate's CRL distribution point and OCSP URL lead.
struct IntermediateUrls {
    std::vector<std::string> crl_urls;
    std::vector<std::string> ocsp_urls;
};

/// The URLs an intermediate of `status` names: the root's CRL and OCSP under `revocation_url`
/// (good, revoked), or the same paths under `unreachable_url` (unreachable).
IntermediateUrls intermediate_urls(IntermediateStatus status, const std::string& revocation_url, const std::string& unreachable_url);

/// `ca`'s certificate signed again by `root` with `urls`: same key, subject, validity and path
/// length, a new serial. Throws CertgenError.
X509Ptr reissue_intermediate(const CertificateAuthority& ca, const CertificateAuthority& root, const IntermediateUrls& urls);

/// A stand-in intermediate for `status` (not good): a fresh key, the main intermediate's
/// subject with " (revoked)" / " (unreachable)" appended, signed by `root`, no URLs yet.
CertificateAuthority make_status_intermediate(IntermediateStatus status, const CertificateAuthority& main,
                                              const CertificateAuthority& root);

/// "intermediate", "intermediate-revoked", "intermediate-unreachable": the CA's short name.
std::string intermediate_short_name(IntermediateStatus status);

}  // namespace tlsfault::certgen
