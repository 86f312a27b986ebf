// `expect`: what a correct client does when shown this rule, so a run can say pass or fail per
// connection from the verdict the engine recorded.
#pragma once

#include "scenarios/model/tls_alert.hpp"
#include "scenarios/model/yaml_reader.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tlsfault::scenarios {

struct Expect {
    enum class Outcome {
        accept,              ///< completes the handshake and sends a request (status: what it should get)
        reject,              ///< refuses: one of `alerts`, or closed/reset/timeout as allowed
        retry_then_succeed,  ///< sees the failure, retries, and succeeds by attempt `attempts`
    };
    Outcome outcome = Outcome::reject;
    std::vector<TlsAlert> alerts;  ///< for reject: acceptable alerts (empty with any_alert: any)
    bool any_alert = false;
    bool closed = false;   ///< for reject: a FIN without an alert also counts
    bool reset = false;    ///< ...a TCP reset
    bool timeout = false;  ///< ...the client giving up on a silent server
    std::optional<int> status;  ///< for accept: the HTTP status the client should receive
    std::uint64_t attempts = 0;  ///< for retry_then_succeed: the attempt that should succeed
    std::string note;            ///< one line for people: why this is the correct behaviour
};

/// What the engine recorded for one connection (its verdict, in the engine's words).
struct ObservedVerdict {
    std::string outcome;  ///< accepted, alert, closed, reset, timeout, not_tls
    std::optional<TlsAlert> alert;
    std::optional<int> status;  ///< the HTTP status sent, when a request was answered
    std::optional<TlsAlert> sent_alert;  ///< the alert tlsfault sent (outcome handshake_error)
};

/// Whether `observed` is what `expect` says a correct client does. A `handshake_error` (no
/// version or cipher in common) is judged by the alert tlsfault sent: the client's offer was
/// refused with it, so `reject: protocol_version` passes for a client that offers only newer
/// versions than the server accepts. For retry_then_succeed a
/// single connection passes when the client got as far as a request; whether it came back and
/// succeeded is judged over the run.
bool expectation_met(const Expect& expect, const ObservedVerdict& observed);

/// `expect: {reject: unknown_ca}`, `{reject: [unknown_ca, bad_certificate]}`, `{reject: any}`,
/// `{reject: timeout}`, `{accept: true, status: 403}`, `{retry_then_succeed: 3}`; `note` anywhere.
std::optional<Expect> parse_expect(const YAML::Node& node, const std::string& path, Diagnostics& diag);

/// "reject with unknown_ca", "accept (HTTP 403)", "retry, then succeed by attempt 3".
std::string describe(const Expect& expect);

}  // namespace tlsfault::scenarios
