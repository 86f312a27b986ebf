// Sweep rows for the field cases (group field-case): the reason phrases curl -v and Python print
// for the CMG, IIS and Lync answers, and the certificate and version failures of the rest.
#include "tests/integration/scenarios_run/catalogue_sweep.hpp"

#include <doctest/doctest.h>

namespace tlsfault::test::sweep {
namespace {

const std::string cmg_path = "/CCM_PROXY_MUTUALAUTH/3456/SMS_MP/.sms_aut?SITESIGNCERT";

/// A client that gets an HTTP answer from a rule: accepted, and the rule's expect judged on it.
ClientRun answered(Said said, std::string expectation = "pass") {
    return {.said = std::move(said), .outcome = "accepted", .expectation = std::move(expectation)};
}

/// A client that refuses the certificate with `alert` (judged against the rule's expect).
ClientRun refused(Said said, std::string alert, std::vector<std::string> args = {}) {
    return {.args = std::move(args), .said = std::move(said), .outcome = "alert", .alert = std::move(alert), .expectation = "pass"};
}

}  // namespace

const std::vector<Row>& field_case_rows() {
    static const std::vector<Row> rows = {
        {.scenario = "cmg-client-certificate-required",
         .host = "cmgsccm.contoso.com",
         .path = cmg_path,
         .curl = answered(message("curl -v")),
         .python = answered(message("python3")),
         .s_client = answered(message("openssl s_client"))},
        {.scenario = "cmg-forbidden",
         .host = "cmgsccm.contoso.com",
         .path = cmg_path,
         .curl = answered(message("curl -v")),
         .python = answered(message("python3")),
         .s_client = answered(message("openssl s_client"))},
        {.scenario = "cmg-invalid-token",
         .host = "CMGSERVER.CLOUDAPP.NET",
         .path = "/CCM_Proxy_ServerAuth/ServiceMetadata",
         .curl = answered(message("curl -v")),
         .python = answered(message("python3")),
         .s_client = answered(message("openssl s_client"))},
        {.scenario = "cmg-secure-failure",
         .host = "CMG.CONTOSO.COM",
         .path = "/CCM_Proxy_ServerAuth/72057594037928017/CCM_STS",
         .curl = refused(message("curl"), "unknown_ca"),
         .python = refused(message("python3"), "unknown_ca"),
         .s_client = refused(message("openssl s_client"), "unknown_ca")},
        {.scenario = "crm-enterprise-ca-not-imported",
         .host = "mail.contoso.com",
         .path = "/EWS/Exchange.asmx",
         .curl = refused(message("curl"), "unknown_ca"),
         .python = refused(message("python3"), "unknown_ca"),
         .s_client = refused(message("openssl s_client"), "unknown_ca")},
        {.scenario = "crm-enterprise-ca-trusted",
         .host = "mail.contoso.com",
         .path = "/EWS/Exchange.asmx",
         .curl = answered(message("curl --cacert \"$(tlsfault ca path)\"")),
         .python = answered(text("200 OK")),
         .s_client = answered(text("HTTP/1.1 200 OK"))},
        // curl checks the name itself after the handshake and leaves without an alert.
        {.scenario = "crm-exchange-name-mismatch",
         .host = "mail.contoso.com",
         .path = "/EWS/Exchange.asmx",
         .curl = {.said = message("curl"), .outcome = "closed", .expectation = "pass"},
         .python = refused(message("python3"), "bad_certificate"),
         .s_client = refused(message("openssl s_client -verify_hostname"), "bad_certificate")},
        {.scenario = "crm-exchange-self-signed",
         .host = "mail.contoso.com",
         .path = "/EWS/Exchange.asmx",
         .curl = refused(message("curl"), "unknown_ca"),
         .python = refused(message("python3"), "unknown_ca"),
         .s_client = refused(message("openssl s_client"), "unknown_ca")},
        // The .NET client of the story offers at most TLS 1.2; tlsfault refuses it with protocol_version,
        // which is what the expectation (client_tls_max: 1.2) describes: pass (issue 10; was judged fail).
        {.scenario = "dotnet-tls-server-too-new",
         .host = "api.opendns.com",
         .curl = {.args = {"--tls-max", "1.2"},
                  .said = message("curl --tls-max 1.2"),
                  .outcome = "handshake_error",
                  .sent_alert = "protocol_version",
                  .expectation = "pass"},
         .python = {.args = {"--tls-max", "1.2"},
                    .said = message("python3 (TLS 1.2 at most)"),
                    .outcome = "handshake_error",
                    .sent_alert = "protocol_version",
                    .expectation = "pass"},
         .s_client = {.args = {"-tls1_2"},
                      .said = message("openssl s_client -tls1_2"),
                      .outcome = "handshake_error",
                      .sent_alert = "protocol_version",
                      .expectation = "pass"}},
        // Python offers nothing below TLS 1.2 and gets tlsfault's protocol_version; curl and
        // s_client still offer TLS 1.0, take the ServerHello and refuse its SHA-1 signature.
        {.scenario = "dotnet-tls-server-too-old",
         .host = "api.opendns.com",
         .curl = refused(message("curl"), "internal_error"),
         .python = {.said = message("python3"), .outcome = "handshake_error", .sent_alert = "protocol_version", .expectation = "pass"},
         .s_client = refused(message("openssl s_client"), "internal_error")},
        {.scenario = "iis-403-7-client-certificate-required",
         .host = "mp.contoso.com",
         .path = "/SMS_MP/.sms_aut?SITESIGNCERT",
         .curl = answered(message("curl -v")),
         .python = answered(message("python3")),
         .s_client = answered(text("HTTP/1.1 403 Forbidden"))},
        {.scenario = "lync-authentication-failure",
         .host = "lyncpool.contoso.com",
         .path = "/CertProv/CertProvisioningService.svc",
         .curl = answered(message("curl")),
         .python = answered(message("python3")),
         .s_client = answered(text("HTTP/1.1 401 Unauthorized"))},
        // Two 503s, then 200: each client retries on its own engine (attempts count per client address).
        {.scenario = "lync-data-store-unavailable",
         .host = "lyncpool.contoso.com",
         .path = "/CertProv/CertProvisioningService.svc",
         .curl = {.args = {"--retry", "3"}, .said = message("curl"), .outcome = "accepted", .expectation = "pass", .min_ms = 2000},
         .python = {.args = {"--retries", "3"},
                    .said = text("503 Data store unavailable (retrying)"),
                    .outcome = "accepted",
                    .expectation = "pass",
                    .min_ms = 2000},
         .s_client = not_run(),
         .engine_per_client = true},
        {.scenario = "lync-incomplete-chain",
         .host = "lyncpool.contoso.com",
         .path = "/CertProv/CertProvisioningService.svc",
         .curl = refused(message("curl"), "unknown_ca"),
         .python = refused(message("python3"), "unknown_ca"),
         .s_client = refused(message("openssl s_client"), "unknown_ca")},
        // api.opendns.com's certificate names DigiCert's CRL and OCSP servers, which are blocked: a
        // client that requires the check has no CRL for the issuer (curl --crlfile with another
        // CA's CRL, Python VERIFY_CRL_CHECK_LEAF, s_client -crl_check) and must fail closed.
        // The blocked revocation servers themselves (plain HTTP through the proxy) are not swept here.
        {.scenario = "umbrella-revocation-blackhole",
         .host = "api.opendns.com",
         .curl = refused(message("curl --crlfile (no CRL for the issuer)"), "unknown_ca", {"--crlfile", "{crl}"}),
         .python = refused(message("python3 (VERIFY_CRL_CHECK_LEAF)"), "unknown_ca", {"--crl", "{crl}"}),
         .s_client = refused(message("openssl s_client -crl_check"), "unknown_ca", {"-crl_check"}),
         .crls = {"/crl/root.crl.pem"}},
        {.scenario = "umbrella-revocation-closed-port",
         .host = "api.opendns.com",
         .curl = refused(message("curl --crlfile (no CRL for the issuer)"), "unknown_ca", {"--crlfile", "{crl}"}),
         .python = refused(message("python3 (VERIFY_CRL_CHECK_LEAF)"), "unknown_ca", {"--crl", "{crl}"}),
         .s_client = refused(message("openssl s_client -crl_check"), "unknown_ca", {"-crl_check"}),
         .crls = {"/crl/root.crl.pem"}},
        {.scenario = "umbrella-untrusted-ca",
         .host = "api.opendns.com",
         .curl = refused(message("curl"), "unknown_ca"),
         .python = refused(message("python3"), "unknown_ca"),
         .s_client = refused(message("openssl s_client"), "unknown_ca")},
    };
    return rows;
}

TEST_CASE("catalogue sweep: field cases") {
    for (const auto& row : field_case_rows()) {
        CAPTURE(row.scenario);
        run_row(row);
    }
}

}  // namespace tlsfault::test::sweep
