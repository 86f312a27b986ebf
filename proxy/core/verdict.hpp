// The client verdict: exactly one per connection, saying what the client did with what it was shown.
#pragma once

#include "scenarios/model/outcome.hpp"
#include "scenarios/model/tls_alert.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace tlsfault::proxy {

using scenarios::Outcome;  // one enum for the engine and the judge: scenarios/model/outcome.hpp
using scenarios::TlsAlert;

enum class Phase { client_hello, handshake, request, proxy_request };

struct Verdict {
    Outcome outcome = Outcome::closed;
    Phase phase = Phase::handshake;
    std::optional<TlsAlert> alert;       ///< the alert received (outcome alert); any code, named or not
    std::optional<TlsAlert> sent_alert;  ///< the alert tlsfault sent, if any
    std::string reason;                  ///< human-readable detail
};

std::string_view to_string(Phase phase);

/// An alert's name for events and reasons: "unknown_ca", or "alert_<n>" for a code without one.
std::string alert_text(TlsAlert alert);

}  // namespace tlsfault::proxy
