// What `--staple truthful` (or `tls.staple: truthful`) staples for one certificate: what the
// server could have fetched from the certificate's own OCSP responder. A responder that is
// unreachable, blackholed, fails or is not tlsfault's own (a real host a rule may block) gives
// nothing to staple, so a stapling client still has to try the endpoint the scenario breaks.
#pragma once

#include "certgen/issued_certificate.hpp"
#include "certgen/ocsp_staple.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace tlsfault::proxy {

struct StapleChoice {
    /// The staple to send; nullopt: none.
    std::optional<certgen::StapleMode> mode;
    /// Why there is none, for the `staple` event ("the OCSP responder ... is blackholed").
    std::string reason;
};

/// The truthful staple for `cert`, whose first OCSP URL decides: under `revocation_url` (the
/// revocation listener) with no prefix or slow-<N>s, the registry's truth; good/revoked/unknown,
/// that status; stale, an expired answer; delegated, the truth; any other prefix (blackhole,
/// not-found, try-later, wrong-key, ...), another host or no OCSP URL at all, none.
StapleChoice truthful_staple(const certgen::IssuedCertificate& cert, std::string_view revocation_url);

}  // namespace tlsfault::proxy
