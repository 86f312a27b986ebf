// Sweep rows for the certificate group: each certgen profile against curl, Python and
// s_client trusting the lab root, and the revocation scenarios with clients that check
// revocation (CRLs fetched from tlsfault's own revocation listener, staples asked for).
#include "tests/integration/scenarios_run/catalogue_sweep.hpp"

#include <doctest/doctest.h>

namespace tlsfault::test::sweep {
namespace {

ClientRun refused(Said said, std::string alert, std::vector<std::string> args = {}) {
    return {.args = std::move(args), .said = std::move(said), .outcome = "alert", .alert = std::move(alert), .expectation = "pass"};
}

ClientRun accepted(Said said, std::string expectation, std::vector<std::string> args = {}) {
    return {.args = std::move(args), .said = std::move(said), .outcome = "accepted", .expectation = std::move(expectation)};
}

/// The same refusal by all three clients, each in its own words.
Row refused_by_all(std::string scenario, std::string host, std::string alert) {
    return {.scenario = std::move(scenario),
            .host = std::move(host),
            .curl = refused(message("curl"), alert),
            .python = refused(message("python3"), alert),
            .s_client = refused(message("openssl s_client"), alert)};
}

}  // namespace

const std::vector<Row>& certificate_rows() {
    static const std::vector<Row> rows = {
        refused_by_all("cert-client", "client.tlsfault.test", "unsupported_certificate"),
        refused_by_all("cert-cmg-secure-failure", "cmg-secure-failure.tlsfault.test", "unknown_ca"),
        // Nothing answers at the CDP: a checking client has no CRL for the issuer.
        {.scenario = "cert-crl-unreachable",
         .host = "crl-unreachable.tlsfault.test",
         .curl = refused(message("curl --crlfile (no CRL for the issuer)"), "unknown_ca", {"--crlfile", "{crl}"}),
         .python = refused(message("python3 (VERIFY_CRL_CHECK_LEAF)"), "unknown_ca", {"--crl", "{crl}"}),
         .s_client = refused(message("openssl s_client -crl_check"), "unknown_ca", {"-crl_check"}),
         .crls = {"/crl/root.crl.pem"}},
        refused_by_all("cert-expired", "expired.tlsfault.test", "certificate_expired"),
        {.scenario = "cert-good",
         .host = "good.tlsfault.test",
         .curl = accepted(message("curl --cacert \"$(tlsfault ca path)\""), "pass"),
         .python = accepted(text("200 OK"), "pass"),
         .s_client = accepted(text("Verify return code: 0 (ok)"), "pass")},
        refused_by_all("cert-leaf-is-ca", "leaf-is-ca.tlsfault.test", "unsupported_certificate"),
        {.scenario = "cert-long-validity",
         .host = "long-validity.tlsfault.test",
         .curl = accepted(text("< HTTP/1.1 200 OK"), "pass"),
         .python = accepted(text("200 OK"), "pass"),
         .s_client = accepted(text("Verify return code: 0 (ok)"), "pass")},
        refused_by_all("cert-missing-intermediate-aia", "missing-intermediate-aia.tlsfault.test", "unknown_ca"),
        refused_by_all("cert-missing-intermediate", "missing-intermediate.tlsfault.test", "unknown_ca"),
        // OpenSSL still falls back to the CN when there is no subjectAltName: curl, Python
        // (hostname_checks_common_name is on by default) and s_client all accept — the finding.
        {.scenario = "cert-no-san",
         .host = "no-san.tlsfault.test",
         .curl = accepted(message("curl (OpenSSL falls back to the CN)"), "fail"),
         .python = accepted(text("200 OK"), "fail"),
         .s_client = accepted(message("openssl s_client -verify_hostname"), "fail")},
        refused_by_all("cert-not-yet-valid", "not-yet-valid.tlsfault.test", "bad_certificate"),
        {.scenario = "cert-revoked",
         .host = "revoked.tlsfault.test",
         .curl = refused(message("curl --crlfile (the intermediate's and the root's CRLs)"), "certificate_revoked", {"--crlfile", "{crl}"}),
         .python = refused(message("python3 (VERIFY_CRL_CHECK_LEAF)"), "certificate_revoked", {"--crl", "{crl}"}),
         .s_client = refused(message("openssl s_client -crl_check"), "certificate_revoked", {"-crl_check", "-CRL", "{crl}"}),
         .crls = {"/crl/intermediate.crl.pem", "/crl/root.crl.pem"}},
        refused_by_all("cert-rsa-1024", "rsa-1024.tlsfault.test", "bad_certificate"),
        refused_by_all("cert-self-signed", "self-signed.tlsfault.test", "unknown_ca"),
        refused_by_all("cert-sha1-signature", "sha1-signature.tlsfault.test", "bad_certificate"),
        refused_by_all("cert-untrusted-root", "untrusted-root.tlsfault.test", "unknown_ca"),
        // curl checks the name after the handshake and leaves without an alert.
        {.scenario = "cert-wildcard-mismatch",
         .host = "wildcard-mismatch.tlsfault.test",
         .curl = {.said = message("curl"), .outcome = "closed", .expectation = "pass"},
         .python = refused(message("python3"), "bad_certificate"),
         .s_client = refused(message("openssl s_client -verify_hostname"), "bad_certificate")},
        refused_by_all("cert-wrong-eku", "wrong-eku.tlsfault.test", "unsupported_certificate"),
        {.scenario = "cert-wrong-host",
         .host = "wrong-host.tlsfault.test",
         .curl = {.said = message("curl"), .outcome = "closed", .expectation = "pass"},
         .python = refused(message("python3"), "bad_certificate"),
         .s_client = refused(message("openssl s_client -verify_hostname"), "bad_certificate")},
        // Only a client that asks for the staple can notice: curl --cert-status. Python cannot ask,
        // and s_client -status shows the missing staple but goes on: both accept (expect fails).
        {.scenario = "must-staple-missing",
         .host = "must-staple-missing.tlsfault.test",
         .curl = {.args = {"--cert-status"}, .said = message("curl --cert-status"), .outcome = "closed", .expectation = "pass"},
         .python = accepted(text("200 OK"), "fail"),
         .s_client = accepted(message("openssl s_client -status"), "fail", {"-status"})},
        {.scenario = "ocsp-trylater",
         .host = "ocsp-trylater.tlsfault.test",
         .curl = accepted(text("< HTTP/1.1 200 OK"), "pass"),
         .python = accepted(text("200 OK"), "pass"),
         .s_client = accepted(text("Verify return code: 0 (ok)"), "pass")},
        {.scenario = "ocsp-unknown",
         .host = "ocsp-unknown.tlsfault.test",
         .curl = accepted(text("< HTTP/1.1 200 OK"), "pass"),
         .python = accepted(text("200 OK"), "pass"),
         .s_client = accepted(text("Verify return code: 0 (ok)"), "pass")},
        {.scenario = "revoked-crl",
         .host = "revoked-crl.tlsfault.test",
         .curl = refused(message("curl --crlfile (the intermediate's and the root's CRLs, fetched first: curl checks the whole chain)"),
                         "certificate_revoked", {"--crlfile", "{crl}"}),
         .python = refused(message("python3 (VERIFY_CRL_CHECK_LEAF)"), "certificate_revoked", {"--crl", "{crl}"}),
         .s_client = refused(message("openssl s_client -crl_check -CRL intermediate.crl.pem"), "certificate_revoked",
                             {"-crl_check", "-CRL", "{crl}"}),
         .crls = {"/crl/intermediate.crl.pem", "/crl/root.crl.pem"}},
        // The engine staples the truthful OCSP answer (revoked) to clients that ask: curl
        // --cert-status refuses after the handshake; Python cannot ask; s_client -status shows
        // "revoked" and goes on.
        {.scenario = "revoked-ocsp",
         .host = "revoked-ocsp.tlsfault.test",
         .curl = {.args = {"--cert-status"},
                  .said = message("curl --cert-status (with --staple truthful)"),
                  .outcome = "closed",
                  .expectation = "pass"},
         .python = accepted(text("200 OK"), "fail"),
         .s_client = accepted(message("openssl s_client -status"), "fail", {"-status"})},
        {.scenario = "stale-crl",
         .host = "stale-crl.tlsfault.test",
         .curl = refused(message("curl --crlfile (the stale CRL)"), "certificate_expired", {"--crlfile", "{crl}"}),
         .python = refused(message("python3 (VERIFY_CRL_CHECK_LEAF)"), "certificate_expired", {"--crl", "{crl}"}),
         .s_client =
             refused(message("openssl s_client -crl_check -CRL <the fetched CRL>"), "certificate_expired", {"-crl_check", "-CRL", "{crl}"}),
         .crls = {"/stale/crl/intermediate.crl.pem"}},
    };
    return rows;
}

TEST_CASE("catalogue sweep: certificates") {
    for (const auto& row : certificate_rows()) {
        CAPTURE(row.scenario);
        run_row(row);
    }
}

}  // namespace tlsfault::test::sweep
