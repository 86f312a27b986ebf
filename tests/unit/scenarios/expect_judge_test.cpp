// The judging rules of `expect` as a table: one row per rule of docs/scenarios.md ("How expect
// is judged"), each an expectation loaded from YAML, an observation and the result with its reason.
#include "scenario_test_helpers.hpp"

#include "scenarios/model/expect.hpp"

#include <doctest/doctest.h>

#include <yaml-cpp/yaml.h>

using namespace tlsfault::scenarios;

namespace {

Expect expect_of(const std::string& yaml) {
    Diagnostics diag("t.yaml");
    auto e = parse_expect(YAML::Load(yaml), "expect", diag);
    REQUIRE(e);
    REQUIRE(diag.empty());
    return *e;
}

ObservedVerdict seen(std::string_view outcome, std::optional<TlsAlert> alert = std::nullopt) {
    ObservedVerdict v;
    REQUIRE(parse_outcome(outcome));
    v.outcome = *parse_outcome(outcome);
    v.alert = alert;
    return v;
}

ObservedVerdict refused_by_server(TlsAlert sent, std::uint16_t highest_offered) {
    ObservedVerdict v = seen("handshake_error");
    v.sent_alert = sent;
    v.client.highest_offered_version = highest_offered;
    v.client.hello_seen = true;
    return v;
}

struct Row {
    const char* name;
    const char* expect;
    ObservedVerdict observed;
    JudgedResult result;
    const char* reason_contains;
};

}  // namespace

TEST_CASE("expect: every judging rule, one row each") {
    ObservedVerdict fetched_and_rejected = seen("alert", TlsAlert::certificate_unknown);
    fetched_and_rejected.client.revocation_fetched = true;
    ObservedVerdict fetched_and_accepted = seen("accepted");
    fetched_and_accepted.client.revocation_fetched = true;
    ObservedVerdict chased_aia = seen("accepted");
    chased_aia.client.aia_fetched = true;
    ObservedVerdict no_alpn = seen("alert", TlsAlert::no_application_protocol);
    no_alpn.client.hello_seen = true;
    ObservedVerdict with_alpn = seen("accepted");
    with_alpn.client.hello_seen = true;
    with_alpn.client.offered_alpn = true;
    ObservedVerdict speculative = seen("closed");
    speculative.handshake_completed = true;
    speculative.client.sibling_served = true;
    ObservedVerdict lone_unused = speculative;
    lone_unused.client.sibling_served = false;
    ObservedVerdict tls12_refused = refused_by_server(TlsAlert::protocol_version, 0x0303);
    tls12_refused.client.server_min_version = 0x0304;
    ObservedVerdict tls13_accepted = seen("accepted");
    tls13_accepted.client.highest_offered_version = 0x0304;
    ObservedVerdict tls12_accepted = tls13_accepted;
    tls12_accepted.client.highest_offered_version = 0x0303;

    const std::vector<Row> rows{
        {"the named alert", "{reject: [unknown_ca, closed]}", seen("alert", TlsAlert::unknown_ca), JudgedResult::pass,
         "rejected with unknown_ca"},
        {"Java's certificate_unknown is a rejection", "{reject: [unknown_ca, closed]}", seen("alert", TlsAlert::certificate_unknown),
         JudgedResult::pass, "rejected with certificate_unknown"},
        {"Chromium's illegal_parameter is a rejection", "{reject: [bad_certificate]}", seen("alert", TlsAlert::illegal_parameter),
         JudgedResult::pass, "illegal_parameter"},
        {"a reset is a rejection", "{reject: [certificate_expired, closed]}", seen("reset"), JudgedResult::pass, "rejected (reset)"},
        {"accepting is not", "{reject: [unknown_ca]}", seen("accepted"), JudgedResult::fail, "accepted what a correct client rejects"},
        {"a timeout passes only when named", "{reject: [unknown_ca]}", seen("timeout"), JudgedResult::fail, "did not reject: timeout"},
        {"a named timeout", "{reject: [timeout]}", seen("timeout"), JudgedResult::pass, "rejected (timeout)"},
        {"not TLS is not a rejection", "{reject: any}", seen("not_tls"), JudgedResult::fail, "did not reject"},
        {"alert_required: another alert fails", "{reject: [no_application_protocol], alert_required: true}",
         seen("alert", TlsAlert::certificate_unknown), JudgedResult::fail, "requires the alert it names"},
        {"alert_required: the named alert", "{reject: [no_application_protocol], alert_required: true}",
         seen("alert", TlsAlert::no_application_protocol), JudgedResult::pass, "no_application_protocol"},
        {"certificate_required is handshake_failure over TLS 1.2", "{reject: [certificate_required], alert_required: true}",
         refused_by_server(TlsAlert::handshake_failure, 0x0303), JudgedResult::pass, "handshake_failure"},
        {"...but not over TLS 1.3", "{reject: [certificate_required], alert_required: true}",
         refused_by_server(TlsAlert::handshake_failure, 0x0304), JudgedResult::fail, "requires"},
        {"revocation: fetched and rejected", "{reject: [certificate_revoked], depends_on: revocation}", fetched_and_rejected,
         JudgedResult::pass, "after fetching the revocation status"},
        {"revocation: never fetched, accepted", "{reject: [certificate_revoked], depends_on: revocation}", seen("accepted"),
         JudgedResult::fail, "does not check revocation"},
        {"revocation: fetched, accepted", "{reject: any, depends_on: [revocation]}", fetched_and_accepted, JudgedResult::fail, "soft-fail"},
        {"aia: chased and connected", "{reject: [unknown_ca], depends_on: [aia]}", chased_aia, JudgedResult::pass, "chased AIA"},
        {"aia: no chase, accepted", "{reject: [unknown_ca], depends_on: [aia]}", seen("accepted"), JudgedResult::fail, "accepted"},
        {"alpn: no ALPN offered", "{reject: [no_application_protocol], depends_on: alpn}", no_alpn, JudgedResult::not_judged,
         "offered no ALPN"},
        {"alpn: offered, accepted", "{reject: [no_application_protocol], depends_on: alpn}", with_alpn, JudgedResult::fail, "accepted"},
        {"speculative connection after a served sibling", "{accept: true}", speculative, JudgedResult::not_judged, "speculative"},
        {"an unused connection alone still fails", "{accept: true}", lone_unused, JudgedResult::fail, "did not accept: closed"},
        {"TLS 1.2 client refused by a TLS 1.3 server", "{accept: true}", tls12_refused, JudgedResult::pass, "protocol_version"},
        {"client_tls_max: a newer client is not judged", "{accept: true, client_tls_max: \"1.2\"}", tls13_accepted,
         JudgedResult::not_judged, "offered TLS 1.3"},
        {"client_tls_max: the customer's client", "{accept: true, client_tls_max: \"1.2\"}", tls12_accepted, JudgedResult::pass,
         "accepted"},
        {"accept with the wrong status", "{accept: true, status: 403}",
         [] {
             auto v = seen("accepted");
             v.status = 200;
             return v;
         }(),
         JudgedResult::fail, "got HTTP 200, not 403"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.name);
        const auto j = judge(expect_of(row.expect), row.observed);
        CHECK(to_string(j.result) == to_string(row.result));
        CHECK(j.reason.find(row.reason_contains) != std::string::npos);
    }
}

TEST_CASE("expect: a lax client policy explains an acceptance: fail, with the policy and what the ClientHello showed") {
    ObservedVerdict legacy = seen("accepted");
    legacy.client.hello_seen = true;
    legacy.client.lowest_offered_version = 0x0301;
    legacy.client.highest_offered_version = 0x0304;
    legacy.client.server_max_version = 0x0301;
    ObservedVerdict rsa = seen("accepted");
    rsa.client.hello_seen = true;
    rsa.client.offered_static_rsa = true;
    ObservedVerdict sha1 = seen("accepted");
    sha1.client.hello_seen = true;
    sha1.client.offered_sha1_signatures = true;
    ObservedVerdict no_staple_asked = seen("accepted");
    no_staple_asked.client.hello_seen = true;
    struct PolicyRow {
        const char* expect;
        ObservedVerdict observed;
        const char* policy;
        const char* reason;
    };
    const std::vector<PolicyRow> rows{
        {"{reject: any, depends_on: legacy_tls}", legacy, "legacy_tls",
         "its policy still allows TLS 1.0 (offered TLS 1.0 to 1.3), and accepted"},
        {"{reject: any, depends_on: weak_ciphers}", rsa, "weak_ciphers",
         "its policy still offers suites without forward secrecy (RSA key exchange in its ClientHello), and accepted"},
        {"{reject: any, depends_on: sha1}", sha1, "sha1",
         "its policy accepts SHA-1 certificate signatures (offered SHA-1 in signature_algorithms), and accepted"},
        {"{reject: any, depends_on: weak_key}", seen("accepted"), "weak_key", "its policy accepts RSA keys below 2048 bits, and accepted"},
        {"{reject: any, depends_on: cn_fallback}", seen("accepted"), "cn_fallback",
         "its policy falls back to the subject CN without a subjectAltName, and accepted"},
        {"{reject: any, depends_on: must_staple}", no_staple_asked, "must_staple",
         "does not enforce must-staple (did not ask for a staple), and accepted"},
        {"{reject: any, depends_on: revocation}", seen("accepted"), "revocation",
         "does not check revocation: no CRL/OCSP fetch, and accepted"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.expect);
        const auto j = judge(expect_of(row.expect), row.observed);
        CHECK(j.result == JudgedResult::fail);
        CHECK(j.policy == row.policy);
        CHECK(j.reason == row.reason);
        // A client with the strict policy rejects, and passes.
        CHECK(judge(expect_of(row.expect), seen("alert", TlsAlert::bad_certificate)).result == JudgedResult::pass);
    }
    CHECK(judge(expect_of("{reject: any}"), seen("accepted")).policy.empty());  // no policy: the client is wrong
    // A soft-fail expectation and a client that requires the answer (hard-fail): its policy too.
    ObservedVerdict hard_fail = seen("alert", TlsAlert::certificate_unknown);
    hard_fail.client.revocation_fetched = true;
    const auto strict = judge(expect_of("{accept: true, depends_on: revocation}"), hard_fail);
    CHECK(strict.result == JudgedResult::fail);
    CHECK(strict.policy == "revocation");
    CHECK(strict.reason == "rejected with certificate_unknown after fetching the revocation status (hard-fail)");
}

TEST_CASE("expect: the alert is recorded as detail, listed or not") {
    const auto e = expect_of("{reject: [unknown_ca, closed]}");
    CHECK(judge(e, seen("alert", TlsAlert::unknown_ca)).alert_listed == true);
    CHECK(judge(e, seen("alert", TlsAlert::certificate_unknown)).alert_listed == false);
    CHECK_FALSE(judge(e, seen("closed")).alert_listed.has_value());
}

TEST_CASE("expect: a retry sequence is judged when it ends") {
    const auto e = expect_of("{retry_then_succeed: 3, within: 2s}");
    CHECK(e.within == std::chrono::seconds(2));
    CHECK(judge_sequence(e, 3, 2).result == JudgedResult::pass);
    CHECK(judge_sequence(e, 4, 3).reason == "succeeded only at attempt 4, not by attempt 3");
    const auto gave_up = judge_sequence(e, std::nullopt, 1);
    CHECK(gave_up.result == JudgedResult::fail);
    CHECK(gave_up.reason == "the client did not come back within 2s after attempt 1 (success was due by attempt 3)");
    CHECK(gave_up.policy == "retry");  // a client that does not retry: its policy, named
    CHECK(judge_sequence(e, 4, 3).policy.empty());
    CHECK(describe(e) == "see the failure, retry, and succeed by attempt 3 within 2s of each failure");
}

TEST_CASE("expect: the new keys are validated") {
    using tlsfault::scenarios::test::header;
    using tlsfault::scenarios::test::problems_of;
    CHECK(problems_of(header + "  - expect: {accept: true, alert_required: true}\n")
              .at(0)
              .ends_with(": rules[0].expect.alert_required: alert_required goes with reject"));
    CHECK(problems_of(header + "  - expect: {reject: any, within: 5s}\n")
              .at(0)
              .ends_with(": rules[0].expect.within: within is the window of retry_then_succeed"));
    CHECK(problems_of(header + "  - expect: {reject: any, depends_on: revocaton}\n").at(0).find("did you mean 'revocation'") !=
          std::string::npos);
    CHECK(problems_of(header + "  - expect: {accept: true, client_tls_max: \"1.4\"}\n").at(0).find("client_tls_max") != std::string::npos);
}
