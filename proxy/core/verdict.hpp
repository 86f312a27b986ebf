// The client verdict: exactly one per connection, saying what the client did with what it was shown.
#pragma once

#include <string>
#include <string_view>

namespace tlsfault::proxy {

enum class Outcome {
    accepted,  ///< handshake completed and a request was read
    alert,     ///< the client sent a TLS alert (named in `alert`)
    closed,  ///< the connection ended with a FIN and no alert: the client's, a tcp fault's, or a rule's close_after_client_hello (see reason)
    reset,            ///< the connection was reset: by the client, or by a tcp/tls reset fault (see reason)
    timeout,          ///< the client went silent past the phase's timeout
    not_tls,          ///< the client did not speak TLS where TLS was expected
    handshake_error,  ///< tlsfault could not complete the handshake with what the client offered
    plain_http,       ///< explicit proxy: a plain-HTTP (absolute-form) request, forwarded
    aborted,          ///< tlsfault ended the connection for its own reason (see `reason`)
};

enum class Phase { client_hello, handshake, request, proxy_request };

struct Verdict {
    Outcome outcome = Outcome::closed;
    Phase phase = Phase::handshake;
    std::string alert;       ///< received alert name (outcome alert)
    std::string sent_alert;  ///< alert tlsfault sent, if any
    std::string reason;      ///< human-readable detail
};

std::string_view to_string(Outcome outcome);
std::string_view to_string(Phase phase);

}  // namespace tlsfault::proxy
