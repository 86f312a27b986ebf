// Sweep rows for the TLS group: injected alerts, the handshake reset and stall, version and
// cipher limits, and client certificates, against curl, Python and s_client.
#include "tests/integration/scenarios_run/catalogue_sweep.hpp"

#include <doctest/doctest.h>

namespace tlsfault::test::sweep {
namespace {

/// tlsfault sends `alert` right after the ClientHello; the client reads it and closes.
Row alert_row(const std::string& alert) {
    std::string name = alert;
    for (auto& c : name)
        if (c == '_') c = '-';
    const std::string scenario = "alert-" + name;
    auto run = [&](Said said) {
        return ClientRun{.said = std::move(said), .outcome = "closed", .sent_alert = alert, .expectation = "pass"};
    };
    return {.scenario = scenario,
            .host = scenario + ".tlsfault.test",
            .curl = run(message("curl")),
            .python = run(message("python3")),
            .s_client = run(message("openssl s_client"))};
}

/// tlsfault refuses what the client offered (handshake_error), judged by the alert it sent.
ClientRun refused_offer(Said said, std::string sent_alert, std::string expectation, std::vector<std::string> args = {}) {
    return {.args = std::move(args),
            .said = std::move(said),
            .outcome = "handshake_error",
            .sent_alert = std::move(sent_alert),
            .expectation = std::move(expectation)};
}

}  // namespace

const std::vector<Row>& tls_rows() {
    static const std::vector<Row> rows = {
        alert_row("access_denied"),
        alert_row("decode_error"),
        alert_row("handshake_failure"),
        alert_row("insufficient_security"),
        alert_row("internal_error"),
        alert_row("no_application_protocol"),
        alert_row("protocol_version"),
        alert_row("unrecognized_name"),
        // Every client that offers ALPN is refused; urllib offers none unless asked, s_client too.
        {.scenario = "alpn-refused",
         .host = "alpn-refused.tlsfault.test",
         .curl = refused_offer(message("curl"), "no_application_protocol", "pass"),
         .python =
             refused_offer(message("python3 (offering h2 and http/1.1)"), "no_application_protocol", "pass", {"--alpn", "h2,http/1.1"}),
         .s_client = refused_offer(message("openssl s_client -alpn http/1.1"), "no_application_protocol", "pass", {"-alpn", "http/1.1"})},
        // The client has no certificate to send (none from the bogus list either).
        {.scenario = "client-cert-bogus-ca-list",
         .host = "client-cert-bogus-ca-list.tlsfault.test",
         .curl = refused_offer(message("curl"), "certificate_required", "pass"),
         .python = refused_offer(message("python3"), "certificate_required", "pass"),
         .s_client = refused_offer(message("openssl s_client"), "certificate_required", "pass")},
        {.scenario = "client-cert-required",
         .host = "client-cert-required.tlsfault.test",
         .curl = refused_offer(message("curl"), "certificate_required", "pass"),
         .python = refused_offer(message("python3"), "certificate_required", "pass"),
         .s_client = refused_offer(message("openssl s_client"), "certificate_required", "pass")},
        // An orderly close (FIN, no alert) after the ClientHello: every client reports an EOF.
        {.scenario = "handshake-eof",
         .host = "handshake-eof.tlsfault.test",
         .curl = {.said = message("curl"), .outcome = "closed", .expectation = "pass"},
         .python = {.said = message("python3"), .outcome = "closed", .expectation = "pass"},
         .s_client = {.said = message("openssl s_client"), .outcome = "closed", .expectation = "pass"}},
        {.scenario = "handshake-reset",
         .host = "handshake-reset.tlsfault.test",
         .curl = {.said = message("curl"), .outcome = "reset", .expectation = "pass"},
         .python = {.said = message("python3"), .outcome = "reset", .expectation = "pass"},
         .s_client = {.said = message("openssl s_client"), .outcome = "reset", .expectation = "pass"}},
        // Impatient clients give up during the 10 s stall (the expect, a patient client, fails);
        // s_client has no timeout and connects after the stall.
        {.scenario = "slow-handshake",
         .host = "slow-handshake.tlsfault.test",
         .curl = {.args = {"-m", "2"}, .said = message("curl -m 5"), .outcome = "closed", .expectation = "fail", .min_ms = 1900},
         .python = {.args = {"--timeout", "2"},
                    .said = message("python3 (timeout=2)"),
                    .outcome = "closed",
                    .expectation = "fail",
                    .min_ms = 1900},
         .s_client = {.said = text("Verify return code: 0 (ok)"), .outcome = "accepted", .expectation = "pass", .min_ms = 9500}},
        // Python offers nothing below TLS 1.2 and gets tlsfault's protocol_version; curl and
        // s_client still offer TLS 1.0, take the ServerHello and refuse its SHA-1 signature.
        {.scenario = "tls10-only",
         .host = "tls10-only.tlsfault.test",
         .curl = {.said = message("curl"), .outcome = "alert", .alert = "internal_error", .expectation = "pass"},
         .python = refused_offer(message("python3"), "protocol_version", "pass"),
         .s_client = {.said = message("openssl s_client"), .outcome = "alert", .alert = "internal_error", .expectation = "pass"}},
        // A current client connects; one limited to TLS 1.2 gets protocol_version, which is
        // correct for it: pass (issue 10, the client's offered versions count; was judged fail).
        {.scenario = "tls13-only",
         .host = "tls13-only.tlsfault.test",
         .curl = refused_offer(message("curl --tls-max 1.2"), "protocol_version", "pass", {"--tls-max", "1.2"}),
         .python = {.said = text("200 OK"), .outcome = "accepted", .expectation = "pass"},
         .s_client = refused_offer(message("openssl s_client -tls1_2"), "protocol_version", "pass", {"-tls1_2"})},
        // A client restricted to forward-secret AEAD suites finds nothing in common; Python's
        // default context is one (curl's default still takes AES128-SHA).
        {.scenario = "weak-ciphers-only",
         .host = "weak-ciphers-only.tlsfault.test",
         .curl = refused_offer(message("curl --ciphers ECDHE+AESGCM --tls-max 1.2"), "handshake_failure", "pass",
                               {"--ciphers", "ECDHE+AESGCM", "--tls-max", "1.2"}),
         .python = refused_offer(message("python3 (default context: no SHA-1 suites)"), "handshake_failure", "pass"),
         .s_client = refused_offer(message("openssl s_client -cipher ECDHE+AESGCM -tls1_2"), "handshake_failure", "pass",
                                   {"-cipher", "ECDHE+AESGCM", "-tls1_2"})},
    };
    return rows;
}

TEST_CASE("catalogue sweep: tls") {
    for (const auto& row : tls_rows()) {
        CAPTURE(row.scenario);
        run_row(row);
    }
}

}  // namespace tlsfault::test::sweep
