// OCSP stapling: what the TLS listeners staple when a client sends status_request.
#pragma once

#include "certgen/issued_certificate.hpp"
#include "certgen/ocsp_responder.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace tlsfault::certgen {

enum class StapleMode {
    none,      ///< no staple (a must-staple certificate without one is the lesson)
    truthful,  ///< good, or revoked when the certificate is revoked
    good,
    revoked,
    unknown,
    expired,  ///< a good answer whose nextUpdate has passed
    garbage,  ///< bytes that are not an OCSP response
};

std::string_view to_string(StapleMode mode);
std::optional<StapleMode> parse_staple_mode(std::string_view name);
/// "none, truthful, good, ..." for help texts and errors.
std::string staple_mode_names();

/// The DER (or garbage) to staple for `cert`; "" for StapleMode::none.
std::string staple_for(StapleMode mode, const IssuedCertificate& cert, const OcspResponder& responder);

}  // namespace tlsfault::certgen
