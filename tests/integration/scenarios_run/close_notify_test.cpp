// A rule's canned answer with `Connection: close` ends with TLS close_notify, as a real IIS or
// CMG does: openssl s_client and gnutls-cli see an orderly close, not a truncation. A rule that
// asks for a truncation (truncate_body) still gets the bare FIN.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::test;

namespace {

const std::string cmg_host = "cmgsccm.contoso.com";
const std::string cmg_request =
    "GET /CCM_PROXY_MUTUALAUTH/3456/SMS_MP/.sms_aut?SITESIGNCERT HTTP/1.1\r\n"
    "Host: cmgsccm.contoso.com\r\nConnection: close\r\n\r\n";

/// openssl s_client sends `request` and, with -ign_eof, reads until the server ends the connection.
ProcessResult s_client(const RunningEngine& e, const std::string& host, const std::string& request) {
    return run_process({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(e.sni_port()), "-servername", host, "-ign_eof"},
                       std::chrono::seconds(20), request);
}

/// gnutls-cli quits when its stdin ends: stdin stays open so that the server's close ends it.
ProcessResult gnutls_cli(const RunningEngine& e, const std::string& host, const std::string& request) {
    return run_process({"gnutls-cli", "--insecure", "--sni-hostname", host, "--port", std::to_string(e.sni_port()), "127.0.0.1"},
                       std::chrono::seconds(20), request, StdinEnd::held_open);
}

}  // namespace

TEST_CASE("close_notify: openssl s_client reads the CMG 403 and an orderly close, no unexpected eof" * doctest::timeout(60)) {
    RunningEngine engine({"cmg-forbidden"});
    auto r = s_client(engine, cmg_host, cmg_request);
    CAPTURE(r.all());
    CHECK(r.out.find("HTTP/1.1 403 CMGConnector_Forbidden") != std::string::npos);
    CHECK(r.all().find("unexpected eof") == std::string::npos);
    CHECK(r.exit_code == 0);
    CHECK(json_field(engine.wait_for_event("response", "CMGConnector_Forbidden"), "status") == "403");
    CHECK(json_field(engine.verdict_for(cmg_host), "outcome") == "accepted");
    CHECK(json_field(engine.wait_for_event("expectation"), "result") == "pass");
}

TEST_CASE("close_notify: gnutls-cli reads the CMG 403 and sees the peer close the TLS connection properly" * doctest::timeout(60)) {
    RunningEngine engine({"cmg-forbidden"});
    auto r = gnutls_cli(engine, cmg_host, cmg_request);
    CAPTURE(r.all());
    CHECK_FALSE(r.timed_out);
    CHECK(r.out.find("HTTP/1.1 403 CMGConnector_Forbidden") != std::string::npos);
    CHECK(r.all().find("non-properly terminated") == std::string::npos);
    CHECK(r.all().find("Peer has closed the GnuTLS connection") != std::string::npos);
    CHECK(json_field(engine.wait_for_event("response", "CMGConnector_Forbidden"), "status") == "403");
    CHECK(json_field(engine.verdict_for(cmg_host), "outcome") == "accepted");
}

TEST_CASE("close_notify: a truncate_body rule still ends with a bare FIN, which gnutls-cli calls non-proper" * doctest::timeout(60)) {
    TempDir dir;
    auto file = write_scenario(dir, "cut-short",
                               "  - match: {host: cut.example}\n    http: {status: 200, body: \"0123456789\", truncate_body: 4 bytes}\n");
    RunningEngine engine({file});
    auto r = gnutls_cli(engine, "cut.example", "GET / HTTP/1.1\r\nHost: cut.example\r\n\r\n");
    CAPTURE(r.all());
    CHECK_FALSE(r.timed_out);
    CHECK(r.out.find("HTTP/1.1 200 OK") != std::string::npos);
    CHECK(r.all().find("non-properly terminated") != std::string::npos);
    CHECK(json_field(engine.wait_for_event("response", "\"source\":\"scenario\""), "status") == "200");
}
