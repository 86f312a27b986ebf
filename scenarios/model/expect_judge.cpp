// The judging rules of `expect` (docs/scenarios.md, "How expect is judged"): pure, so every
// rule is a row in tests/unit/scenarios/expect_judge_test.cpp.
#include "scenarios/model/expect.hpp"

#include "common/name_table.hpp"

#include "scenarios/model/units.hpp"

#include <algorithm>

namespace tlsfault::scenarios {
namespace {

bool depends_on(const Expect& e, ClientPolicy p) { return std::find(e.depends_on.begin(), e.depends_on.end(), p) != e.depends_on.end(); }

bool names(const Expect& e, TlsAlert a) { return std::find(e.alerts.begin(), e.alerts.end(), a) != e.alerts.end(); }

Judgement pass(std::string reason) { return {JudgedResult::pass, std::move(reason), std::nullopt}; }
Judgement fail(std::string reason) { return {JudgedResult::fail, std::move(reason), std::nullopt}; }
Judgement not_judged(std::string reason) { return {JudgedResult::not_judged, std::move(reason), std::nullopt}; }

/// The alert that ended the handshake: the client's, else the one tlsfault sent.
std::optional<TlsAlert> ending_alert(const ObservedVerdict& v) {
    if (v.outcome == Outcome::alert) return v.alert;
    if (v.outcome == Outcome::handshake_error) return v.sent_alert;
    return std::nullopt;
}

/// Over TLS 1.2 and below there is no certificate_required alert: a server that wants a client
/// certificate and gets none ends with handshake_failure.
bool same_alert_at_version(const Expect& e, TlsAlert seen, std::uint16_t highest_offered) {
    if (names(e, seen)) return true;
    return seen == TlsAlert::handshake_failure && names(e, TlsAlert::certificate_required) && highest_offered != 0 &&
           highest_offered <= 0x0303;
}

/// A verdict that says the client (or the handshake) refused: any of these is a rejection.
bool is_refusal(const Expect& e, Outcome outcome) {
    return outcome == Outcome::alert || outcome == Outcome::closed || outcome == Outcome::reset || outcome == Outcome::handshake_error ||
           (outcome == Outcome::timeout && e.timeout);
}

/// alert_required: only what the scenario names passes.
bool named_way(const Expect& e, const ObservedVerdict& v) {
    if (auto a = ending_alert(v)) return e.any_alert || same_alert_at_version(e, *a, v.client.highest_offered_version);
    return (v.outcome == Outcome::closed && e.closed) || (v.outcome == Outcome::reset && e.reset) ||
           (v.outcome == Outcome::timeout && e.timeout);
}

std::string way_text(const ObservedVerdict& v) {
    if (v.outcome == Outcome::alert && v.alert) return "rejected with " + alert_name(static_cast<std::uint8_t>(*v.alert));
    if (v.outcome == Outcome::handshake_error && v.sent_alert)
        return "refused by tlsfault with " + alert_name(static_cast<std::uint8_t>(*v.sent_alert));
    return "rejected (" + std::string(to_string(v.outcome)) + ")";
}

Judgement policy_fail(ClientPolicy p, std::string reason) {
    Judgement j = fail(std::move(reason));
    j.policy = std::string(to_string(p));
    return j;
}

std::string offered_range(const ClientFacts& c) {
    if (!c.lowest_offered_version || !c.highest_offered_version) return "";
    return " (offered TLS " + tls_version_text(c.lowest_offered_version) + " to " + tls_version_text(c.highest_offered_version) + ")";
}

/// Why a client with the lax policy `p` accepted, in words from what its ClientHello showed.
std::string lax_reason(ClientPolicy p, const ClientFacts& c) {
    switch (p) {
    case ClientPolicy::legacy_tls:
        return "its policy still allows TLS " + tls_version_text(c.server_max_version ? c.server_max_version : 0x0301) + offered_range(c) +
               ", and accepted";
    case ClientPolicy::weak_ciphers:
        return std::string("its policy still offers suites without forward secrecy") +
               (c.offered_static_rsa ? " (RSA key exchange in its ClientHello)" : "") + ", and accepted";
    case ClientPolicy::sha1:
        return std::string("its policy accepts SHA-1 certificate signatures") +
               (c.offered_sha1_signatures ? " (offered SHA-1 in signature_algorithms)" : "") + ", and accepted";
    case ClientPolicy::weak_key: return "its policy accepts RSA keys below 2048 bits, and accepted";
    case ClientPolicy::cn_fallback: return "its policy falls back to the subject CN without a subjectAltName, and accepted";
    case ClientPolicy::must_staple:
        return std::string("does not enforce must-staple") +
               (c.hello_seen ? (c.offered_status_request ? " (asked for a staple, got none)" : " (did not ask for a staple)") : "") +
               ", and accepted";
    default: return "";
    }
}

/// An accepting client judged by the first policy in depends_on that explains (or excuses) it.
Judgement judge_acceptance_of_rejection(const Expect& e, const ObservedVerdict& v) {
    if (depends_on(e, ClientPolicy::aia) && v.client.aia_fetched) return pass("chased AIA: fetched the missing intermediate and connected");
    if (depends_on(e, ClientPolicy::revocation))
        return policy_fail(ClientPolicy::revocation, v.client.revocation_fetched
                                                         ? "fetched the revocation status and still accepted (soft-fail)"
                                                         : "does not check revocation: no CRL/OCSP fetch, and accepted");
    for (auto p : e.depends_on)
        if (auto why = lax_reason(p, v.client); !why.empty()) return policy_fail(p, why);
    return fail("accepted what a correct client rejects");
}

Judgement judge_rejection(const Expect& e, const ObservedVerdict& v) {
    if (v.outcome == Outcome::accepted) return judge_acceptance_of_rejection(e, v);
    if (!is_refusal(e, v.outcome)) return fail("did not reject: " + std::string(to_string(v.outcome)));
    if (e.alert_required && !named_way(e, v)) return fail(way_text(v) + "; this scenario requires the alert it names");
    Judgement j = pass(way_text(v));
    if (auto a = ending_alert(v); a && !e.alerts.empty()) j.alert_listed = same_alert_at_version(e, *a, v.client.highest_offered_version);
    if (depends_on(e, ClientPolicy::revocation))
        j.reason +=
            v.client.revocation_fetched ? " after fetching the revocation status" : " without fetching revocation (a staple or a cache)";
    if (depends_on(e, ClientPolicy::aia) && v.client.aia_fetched) j.reason += " after fetching the intermediate (AIA)";
    return j;
}

Judgement judge_acceptance(const Expect& e, const ObservedVerdict& v) {
    if (v.outcome == Outcome::accepted) {
        if (e.status && v.status != e.status)
            return fail("got HTTP " + (v.status ? std::to_string(*v.status) : std::string("nothing")) + ", not " +
                        std::to_string(*e.status));
        return pass(v.status ? "accepted (HTTP " + std::to_string(*v.status) + ")" : "accepted");
    }
    if (e.outcome == Expect::Outcome::accept && depends_on(e, ClientPolicy::revocation) && is_refusal(e, v.outcome))
        return policy_fail(ClientPolicy::revocation,
                           way_text(v) + (v.client.revocation_fetched ? " after fetching the revocation status (hard-fail)" : ""));
    return fail("did not accept: " + (ending_alert(v) ? way_text(v) : std::string(to_string(v.outcome))));
}

/// Reasons not to judge this connection at all (empty: judge it).
std::string reason_not_to_judge(const Expect& e, const ObservedVerdict& v) {
    const auto highest = v.client.highest_offered_version;
    if (e.client_tls_max && highest > e.client_tls_max)
        return "this expectation judges a client offering TLS " + tls_version_text(e.client_tls_max) + " at most; this one offered TLS " +
               tls_version_text(highest);
    if (depends_on(e, ClientPolicy::alpn) && v.client.hello_seen && !v.client.offered_alpn)
        return "the client offered no ALPN, so refusing ALPN does not apply to it";
    if (e.outcome != Expect::Outcome::reject && v.handshake_completed && v.outcome != Outcome::accepted && v.client.sibling_served)
        return "speculative connection: closed without a request after a sibling from the same client was served";
    return {};
}

}  // namespace

std::string_view to_string(JudgedResult result) {
    constexpr NameTable<JudgedResult, 3> names{{
        {JudgedResult::pass, "pass"},
        {JudgedResult::fail, "fail"},
        {JudgedResult::not_judged, "not_judged"},
    }};
    return name_of(names, result, "fail");
}

Judgement judge(const Expect& e, const ObservedVerdict& v) {
    if (auto why = reason_not_to_judge(e, v); !why.empty()) return not_judged(std::move(why));
    const auto highest = v.client.highest_offered_version;
    if (e.outcome != Expect::Outcome::reject && v.outcome == Outcome::handshake_error && v.sent_alert == TlsAlert::protocol_version &&
        highest && v.client.server_min_version && highest < v.client.server_min_version)
        return pass("the client offers TLS " + tls_version_text(highest) + " at most and the server needs " +
                    tls_version_text(v.client.server_min_version) + ": refused with protocol_version, as it should be");
    if (e.outcome == Expect::Outcome::reject) return judge_rejection(e, v);
    return judge_acceptance(e, v);
}

bool expectation_met(const Expect& expect, const ObservedVerdict& observed) { return judge(expect, observed).result == JudgedResult::pass; }

Judgement judge_sequence(const Expect& e, std::optional<std::uint64_t> succeeded_at, std::uint64_t last_failed) {
    if (!succeeded_at) {
        Judgement j = fail("the client did not come back within " + format_duration(e.within) + " after attempt " +
                           std::to_string(last_failed) + " (success was due by attempt " + std::to_string(e.attempts) + ")");
        j.policy = "retry";  // a client that does not retry (or not soon enough): its policy, not a wrong answer
        return j;
    }
    if (*succeeded_at > e.attempts)
        return fail("succeeded only at attempt " + std::to_string(*succeeded_at) + ", not by attempt " + std::to_string(e.attempts));
    return pass("retried and succeeded at attempt " + std::to_string(*succeeded_at));
}

}  // namespace tlsfault::scenarios
