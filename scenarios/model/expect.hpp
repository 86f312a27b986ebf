// `expect`: what a correct client does when shown this rule, so a run can say pass, fail or
// not_judged per connection from the verdict the engine recorded and what tlsfault saw of the
// client (its ClientHello, the revocation and AIA fetches linked to the connection, its siblings).
#pragma once

#include "scenarios/model/outcome.hpp"
#include "scenarios/model/tls_alert.hpp"
#include "scenarios/model/yaml_reader.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tlsfault::scenarios {

/// A client policy the correct answer depends on (`expect.depends_on`).
enum class ClientPolicy {
    revocation,  ///< checks CRL/OCSP: judged by whether a fetch was linked to the connection
    aia,         ///< chases a missing intermediate through AIA caIssuers: a fetch, then accept, passes
    alpn,        ///< the rule refuses ALPN: a client that offered none is not judged
    // Lax policies: a default client may legitimately accept; accepting fails with the policy named
    // (Judgement::policy) and what the ClientHello showed of it, so the failure says why.
    legacy_tls,    ///< still allows TLS 1.0/1.1 (the ClientHello's lowest offered version shows it)
    weak_ciphers,  ///< still offers suites without forward secrecy (RSA key exchange, seen in the ClientHello)
    sha1,          ///< accepts SHA-1 certificate signatures (rsa_pkcs1_sha1 offered in signature_algorithms)
    weak_key,      ///< accepts RSA keys below 2048 bits (not visible in the handshake)
    cn_fallback,   ///< falls back to the subject CN when there is no subjectAltName (not visible in the handshake)
    must_staple,   ///< enforces OCSP must-staple (status_request in the ClientHello shows whether it asks for a staple)
};

/// "revocation", "legacy_tls", ...: the name `depends_on` uses.
std::string_view to_string(ClientPolicy policy);

struct Expect {
    enum class Outcome {
        accept,              ///< completes the handshake and sends a request (status: what it should get)
        reject,              ///< refuses: any refusal passes; `alerts` are the usual ones (or, with alert_required, the only ones)
        retry_then_succeed,  ///< sees the failure, retries, and succeeds by attempt `attempts` within `within`
    };
    Outcome outcome = Outcome::reject;
    std::vector<TlsAlert> alerts;  ///< for reject: the alerts a client usually sends (empty with any_alert: any)
    bool any_alert = false;
    bool closed = false;   ///< for reject: a FIN without an alert is named
    bool reset = false;    ///< ...a TCP reset
    bool timeout = false;  ///< ...the client giving up on a silent server (only passes when named)
    /// `alert_required: true`: only the named alerts (and named closed/reset/timeout) pass; for
    /// scenarios whose point is the alert itself.
    bool alert_required = false;
    std::vector<ClientPolicy> depends_on;  ///< policies that decide the correct answer
    /// `client_tls_max: "1.2"`: the expectation describes a client offering at most this version
    /// (wire value, 0x0303); a client offering more is not judged.
    std::uint16_t client_tls_max = 0;
    std::optional<int> status;   ///< for accept: the HTTP status the client should receive
    std::uint64_t attempts = 0;  ///< for retry_then_succeed: the attempt that should succeed
    /// For retry_then_succeed: how long after a failed attempt the client has to come back.
    std::chrono::milliseconds within{30'000};
    std::string note;  ///< one line for people: why this is the correct behaviour
};

/// What tlsfault saw of the client besides the verdict (zero/false when unknown).
struct ClientFacts {
    std::uint16_t highest_offered_version = 0;  ///< from the ClientHello (0x0303: TLS 1.2); 0 unknown
    bool hello_seen = false;                    ///< a ClientHello was read (ALPN facts are known)
    bool offered_alpn = false;
    bool revocation_fetched = false;  ///< a CRL or OCSP fetch was linked to this connection
    bool aia_fetched = false;         ///< a CA certificate (AIA caIssuers) fetch was linked to it
    /// A sibling (same client address and host) was served a request shortly before this
    /// connection ended without one.
    bool sibling_served = false;
    std::uint16_t server_min_version = 0;  ///< the rule's tls.min_version (wire value); 0: default
    std::uint16_t server_max_version = 0;  ///< the rule's tls.max_version (wire value); 0: default
    /// The lowest version the ClientHello's supported_versions offered; 0 without the extension.
    std::uint16_t lowest_offered_version = 0;
    bool offered_sha1_signatures = false;  ///< rsa_pkcs1_sha1 or ecdsa_sha1 in signature_algorithms
    bool offered_static_rsa = false;       ///< a suite with RSA key exchange (no forward secrecy)
    bool offered_status_request = false;   ///< the status_request extension: asks for an OCSP staple
};

/// What the engine recorded for one connection (its verdict, in the engine's words).
struct ObservedVerdict {
    Outcome outcome = Outcome::closed;
    std::optional<TlsAlert> alert;
    std::optional<int> status;           ///< the HTTP status sent, when a request was answered
    std::optional<TlsAlert> sent_alert;  ///< the alert tlsfault sent (outcome handshake_error)
    bool handshake_completed = false;    ///< the verdict came after the handshake (phase request)
    ClientFacts client;
};

enum class JudgedResult { pass, fail, not_judged };
std::string_view to_string(JudgedResult result);

/// The judgement of one observation: the result and, in a few words, why.
struct Judgement {
    JudgedResult result = JudgedResult::fail;
    std::string reason;
    std::optional<bool> alert_listed;  ///< for a rejection with an alert: was it one the scenario names
    /// For a fail: the client policy that explains it ("revocation", "legacy_tls", "retry": a
    /// client that does not retry); empty when the client did what no correct client does.
    std::string policy;
};

/// Judges `observed` against `expect`: a rejection is a rejection (the alert is detail unless
/// alert_required); a connection closed unused after a served sibling, a client outside
/// client_tls_max and one without ALPN under depends_on alpn are not judged; a client offering
/// no version the rule's server accepts and refused with protocol_version passes; revocation
/// and AIA fetches give the reason (and an AIA chase that connects passes). For
/// retry_then_succeed a single connection passes when it got as far as a request; the
/// sequence is judged over the run (judge_sequence).
Judgement judge(const Expect& expect, const ObservedVerdict& observed);

/// judge(...) says pass.
bool expectation_met(const Expect& expect, const ObservedVerdict& observed);

/// The sequence of a retry_then_succeed expectation, judged when it ends: `succeeded_at` is the
/// attempt that got a success (nullopt: the client did not come back within `within` after
/// attempt `last_failed`).
Judgement judge_sequence(const Expect& expect, std::optional<std::uint64_t> succeeded_at, std::uint64_t last_failed);

/// `expect: {reject: unknown_ca}`, `{reject: [unknown_ca, bad_certificate]}`, `{reject: any}`,
/// `{reject: timeout}`, `{accept: true, status: 403}`, `{retry_then_succeed: 3, within: 30s}`;
/// `note`, `alert_required`, `depends_on`, `client_tls_max` as documented in docs/scenarios.md.
std::optional<Expect> parse_expect(const YAML::Node& node, const std::string& path, Diagnostics& diag);

/// "reject with unknown_ca (or any other refusal)", "accept (HTTP 403)", "retry, then succeed by attempt 3 within 30s".
std::string describe(const Expect& expect);

/// How the client policies in `depends_on` are judged, in words for `explain` ("" when none):
/// "a client that never fetches the CRL/OCSP and accepts fails: does not check revocation".
std::string describe_judging(const Expect& expect);

/// "1.2" for 0x0303.
std::string tls_version_text(std::uint16_t wire);

}  // namespace tlsfault::scenarios
