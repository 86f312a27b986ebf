// `tlsfault run NAME...` end to end: catalogue scenarios against curl on loopback. Each test
// checks what curl said AND what tlsfault recorded (verdict, rule, expectation).
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <thread>

using namespace tlsfault::test;

namespace {

/// The first line of curl -i output (the status line), without CR LF.
std::string status_line(const std::string& out) { return out.substr(0, out.find("\r\n")); }

/// curl -i -k -sS to `host` at `path_and_query` through the SNI listener.
ProcessResult get(const RunningEngine& e, const std::string& host, const std::string& path_and_query) {
    return curl({"-i", "-k", "-sS", "--connect-to", connect_to(e, host), "https://" + host + path_and_query});
}

const std::string cmg_path = "/CCM_PROXY_MUTUALAUTH/3456/SMS_MP/.sms_aut?SITESIGNCERT";

}  // namespace

TEST_CASE("run cmg-client-certificate-required: curl gets 403 CMGConnector_Clientcertificaterequired") {
    RunningEngine engine({"cmg-client-certificate-required"});
    auto r = get(engine, "cmgsccm.contoso.com", cmg_path);
    CHECK(r.exit_code == 0);
    CHECK(status_line(r.out) == "HTTP/1.1 403 CMGConnector_Clientcertificaterequired");
    CHECK(r.out.find("403 CMGConnector_Clientcertificaterequired\n") != std::string::npos);  // the body
    auto v = engine.verdict_for("cmgsccm.contoso.com");
    CHECK(json_field(v, "outcome") == "accepted");
    auto cc = engine.wait_for_event("client_cert");
    CHECK(json_field(cc, "presented") == "false");
    CHECK(json_field(cc, "valid") == "false");
    auto rule = engine.wait_for_event("rule", "\"phase\":\"connection\"");
    CHECK(json_field(rule, "scenario") == "cmg-client-certificate-required");
    CHECK(json_field(rule, "rule") == "ask for a client certificate, let HTTP decide");
    auto expectation = engine.wait_for_event("expectation");
    CHECK(json_field(expectation, "result") == "pass");
    CHECK(json_field(expectation, "status") == "403");
}

TEST_CASE("run cmg-client-certificate-required: another path gets the default origin page") {
    RunningEngine engine({"cmg-client-certificate-required"});
    auto r = get(engine, "cmgsccm.contoso.com", "/CCM_Proxy_MutualAuth/ServiceMetadata");
    CHECK(r.exit_code == 0);
    CHECK(status_line(r.out) == "HTTP/1.1 200 OK");
    CHECK(r.out.find("X-Tlsfault-Profile") != std::string::npos);
}

TEST_CASE("run cmg-forbidden: curl gets 403 CMGConnector_Forbidden") {
    RunningEngine engine({"cmg-forbidden"});
    auto r = get(engine, "cmgsccm.contoso.com", cmg_path);
    CHECK(r.exit_code == 0);
    CHECK(status_line(r.out) == "HTTP/1.1 403 CMGConnector_Forbidden");
    auto response = engine.wait_for_event("response", "CMGConnector_Forbidden");
    CHECK(json_field(response, "status") == "403");
    CHECK(json_field(engine.verdict_for("cmgsccm.contoso.com"), "outcome") == "accepted");
    CHECK(json_field(engine.wait_for_event("expectation"), "result") == "pass");
}

TEST_CASE("run cmg-invalid-token: curl gets 401 CMGService_Invalid_Token") {
    RunningEngine engine({"cmg-invalid-token"});
    auto r = get(engine, "CMGSERVER.CLOUDAPP.NET", "/CCM_Proxy_ServerAuth/ServiceMetadata");
    CHECK(r.exit_code == 0);
    CHECK(status_line(r.out) == "HTTP/1.1 401 CMGService_Invalid_Token");
    CHECK(json_field(engine.verdict_for("cmgserver.cloudapp.net"), "outcome") == "accepted");
    CHECK(json_field(engine.wait_for_event("rule", "expired token"), "phase") == "request");
}

TEST_CASE("run lync-data-store-unavailable: two 503 Data store unavailable, then 200") {
    RunningEngine engine({"lync-data-store-unavailable"});
    const std::string path = "/CertProv/CertProvisioningService.svc";
    for (int attempt = 1; attempt <= 2; ++attempt) {
        CAPTURE(attempt);
        auto r = get(engine, "lyncpool.contoso.com", path);
        CHECK(r.exit_code == 0);
        CHECK(status_line(r.out) == "HTTP/1.1 503 Data store unavailable");
    }
    auto third = get(engine, "lyncpool.contoso.com", path);
    CHECK(third.exit_code == 0);
    CHECK(status_line(third.out) == "HTTP/1.1 200 OK");
    CHECK(third.out.find("certificate published") != std::string::npos);
    CHECK(engine.wait_for_verdicts(3).size() == 3);
    auto ok = engine.wait_for_event("response", "\"status\":200");
    CHECK(json_field(ok, "source") == "scenario");
    CHECK(json_field(engine.wait_for_event("expectation", "data store unreachable"), "result") == "pass");
}

TEST_CASE("run crm-exchange-self-signed: curl trusting the lab root refuses, tlsfault records its alert") {
    RunningEngine engine({"crm-exchange-self-signed"});
    auto r = curl({"--cacert", engine.root_pem(), "--connect-to", connect_to(engine, "mail.contoso.com"),
                   "https://mail.contoso.com/EWS/Exchange.asmx"});
    CHECK(r.exit_code == 60);
    CHECK(r.err.find("self-signed") != std::string::npos);
    auto v = engine.verdict_for("mail.contoso.com");
    CHECK(json_field(v, "outcome") == "alert");
    CHECK(json_field(v, "profile") == "self-signed");
    auto expectation = engine.wait_for_event("expectation");
    CHECK(json_field(expectation, "result") == "pass");
    CHECK(json_field(expectation, "alert") == json_field(v, "alert"));
}

TEST_CASE("run alert-handshake-failure: curl names the alert, the verdict records it as sent") {
    RunningEngine engine({"alert-handshake-failure"});
    auto r = curl({"-k", "--connect-to", connect_to(engine, "alert-handshake-failure.tlsfault.test"),
                   "https://alert-handshake-failure.tlsfault.test/"});
    CHECK(r.exit_code == 35);
    CHECK(r.err.find("alert handshake failure") != std::string::npos);
    auto v = engine.verdict_for("alert-handshake-failure.tlsfault.test");
    CHECK(json_field(v, "sent_alert") == "handshake_failure");
    CHECK(json_field(v, "outcome") == "closed");  // curl read the alert and closed (no broken pipe)
    CHECK(json_field(engine.wait_for_event("expectation"), "result") == "pass");
}

TEST_CASE("run tls13-only: curl limited to TLS 1.2 fails with protocol_version, TLS 1.3 connects") {
    RunningEngine engine({"tls13-only"});
    const std::string host = "tls13-only.tlsfault.test";
    auto old = curl({"-k", "--tls-max", "1.2", "--connect-to", connect_to(engine, host), "https://" + host + "/"});
    CHECK(old.exit_code == 35);
    CHECK(old.err.find("protocol version") != std::string::npos);
    auto v = engine.verdict_for(host);
    CHECK(json_field(v, "sent_alert") == "protocol_version");
    // Correct for a client limited to TLS 1.2 (issue 10: the offered versions count; was judged fail).
    CHECK(json_field(engine.wait_for_event("expectation"), "result") == "pass");

    auto modern =
        curl({"-k", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--connect-to", connect_to(engine, host), "https://" + host + "/"});
    CHECK(modern.exit_code == 0);
    CHECK(modern.out == "200");
    CHECK(json_field(engine.wait_for_event("tls", "TLSv1.3"), "tls_version") == "TLSv1.3");
    CHECK(json_field(engine.wait_for_event("expectation", "\"result\":\"pass\""), "outcome") == "accepted");
}

TEST_CASE("run with a bad scenario: every problem on stderr, exit 2, nothing bound") {
    TempDir dir;
    const std::string bad = dir / "bad.yaml";
    std::ofstream(bad) << "name: bad\ntitle: t\nrules:\n  - match: {host: x}\n    tls: {alert: no_such_alert}\n";
    auto r = run_process({tlsfault_binary(), "run", "--state-dir", dir / "state", "--sni-listen", "127.0.0.1:0", "--proxy-listen", "off",
                          "--revocation-listen", "off", "no-such-scenario", bad},
                         std::chrono::seconds(20));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("no-such-scenario") != std::string::npos);
    CHECK(r.err.find("bad.yaml:5:") != std::string::npos);
    CHECK(r.all().find("listen") == std::string::npos);
}

TEST_CASE("run iis-403-7: no client certificate gets 403 Forbidden, the lab client certificate gets through") {
    RunningEngine engine({"iis-403-7-client-certificate-required"});
    const std::string path = "/SMS_MP/.sms_aut?SITESIGNCERT";
    auto without = get(engine, "mp.contoso.com", path);
    CHECK(without.exit_code == 0);
    CHECK(status_line(without.out) == "HTTP/1.1 403 Forbidden");
    CHECK(without.out.find("HTTP Error 403.7") != std::string::npos);
    auto first = engine.wait_for_event("client_cert", "\"presented\":false");
    CHECK(json_field(first, "valid") == "false");
    CHECK(json_field(engine.wait_for_event("expectation"), "result") == "pass");

    // A client certificate from the same lab CA (the engine's state directory).
    auto made = run_process({tlsfault_binary(), "certgen", "--out", engine.dir() / "client", "--host", "sccm-client.contoso.com",
                             "--profile", "client", "--state-dir", engine.dir() / "state"},
                            std::chrono::seconds(30));
    REQUIRE(made.exit_code == 0);
    const std::string files = engine.dir() / "client/sccm-client.contoso.com/client/";
    auto with = curl({"-i", "-k", "-sS", "--cert", files + "cert.pem", "--key", files + "key.pem", "--connect-to",
                      connect_to(engine, "mp.contoso.com"), "https://mp.contoso.com" + path});
    CHECK(with.exit_code == 0);
    CHECK(status_line(with.out) == "HTTP/1.1 200 OK");  // no rule for a valid certificate: the origin page
    auto second = engine.wait_for_event("client_cert", "\"presented\":true");
    CHECK(json_field(second, "valid") == "true");
    CHECK(json_field(second, "subject").find("CN=sccm-client.contoso.com") != std::string::npos);
}

TEST_CASE("run client-cert-required: curl without a certificate is refused with certificate_required") {
    RunningEngine engine({"client-cert-required"});
    const std::string host = "client-cert-required.tlsfault.test";
    auto r = curl({"-k", "-sS", "--connect-to", connect_to(engine, host), "https://" + host + "/"});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("certificate required") != std::string::npos);
    auto v = engine.verdict_for(host);
    CHECK(json_field(v, "sent_alert") == "certificate_required");
}

TEST_CASE("run lync-incomplete-chain: curl trusting the lab root cannot build the path") {
    RunningEngine engine({"lync-incomplete-chain"});
    auto r =
        curl({"--cacert", engine.root_pem(), "--connect-to", connect_to(engine, "lyncpool.contoso.com"), "https://lyncpool.contoso.com/"});
    CHECK(r.exit_code == 60);
    CHECK(r.err.find("unable to get local issuer certificate") != std::string::npos);
    auto v = engine.verdict_for("lyncpool.contoso.com");
    CHECK(json_field(v, "outcome") == "alert");
    CHECK(json_field(v, "profile") == "missing-intermediate");
    CHECK(json_field(engine.wait_for_event("expectation"), "result") == "pass");
}

TEST_CASE("run handshake-reset: curl sees a reset right after its ClientHello") {
    RunningEngine engine({"handshake-reset"});
    const std::string host = "handshake-reset.tlsfault.test";
    auto r = curl({"-k", "-sS", "--connect-to", connect_to(engine, host), "https://" + host + "/"});
    CHECK(r.exit_code == 35);
    CHECK(r.err.find("reset") != std::string::npos);
    auto v = engine.verdict_for(host);
    CHECK(json_field(v, "outcome") == "reset");
    CHECK(json_field(v, "reason") == "reset by the rule after the ClientHello");
    CHECK(json_field(engine.wait_for_event("fault"), "type") == "handshake_reset");
    CHECK(json_field(engine.wait_for_event("expectation"), "result") == "pass");  // reject: [reset, closed]
}

TEST_CASE("run FILE: a leaf-only chain fails path building, the origin page answer is judged 200") {
    TempDir files;
    const std::string file = files / "custom-leaf-only.yaml";
    std::ofstream(file) << "name: custom-leaf-only\n"
                           "title: \"custom: a good leaf sent without its intermediate\"\n"
                           "description:\n"
                           "  symptom: \"curl cannot build the path.\"\n"
                           "  cause: \"The server sends its leaf alone.\"\n"
                           "  fix: \"Send the intermediate.\"\n"
                           "rules:\n"
                           "  - name: leaf only\n"
                           "    match:\n"
                           "      host: app.example.test\n"
                           "    certificate: good\n"
                           "    chain: leaf-only\n"
                           "    expect:\n"
                           "      accept: true\n"
                           "      status: 200\n";
    RunningEngine engine({file});
    auto strict =
        curl({"--cacert", engine.root_pem(), "--connect-to", connect_to(engine, "app.example.test"), "https://app.example.test/"});
    CHECK(strict.exit_code == 60);
    CHECK(strict.err.find("unable to get local issuer certificate") != std::string::npos);
    CHECK(json_field(engine.wait_for_event("expectation", "\"result\":\"fail\""), "outcome") == "alert");

    auto lenient = get(engine, "app.example.test", "/");
    CHECK(lenient.exit_code == 0);
    CHECK(status_line(lenient.out) == "HTTP/1.1 200 OK");
    auto judged = engine.wait_for_event("expectation", "\"result\":\"pass\"");
    CHECK(json_field(judged, "status") == "200");
    CHECK(json_field(judged, "scenario") == "custom-leaf-only");
}

TEST_CASE("run cmg-forbidden through the explicit proxy: the rule answers, nothing is forwarded") {
    RunningEngine engine({"cmg-forbidden"});
    auto r = curl(
        {"-i", "-k", "-sS", "-x", "http://127.0.0.1:" + std::to_string(engine.proxy_port()), "https://cmgsccm.contoso.com" + cmg_path});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("HTTP/1.1 403 CMGConnector_Forbidden\r\n") != std::string::npos);
    auto rule = engine.wait_for_event("rule", "\"phase\":\"request\"");
    CHECK(json_field(rule, "scenario") == "cmg-forbidden");
    for (const auto& line : engine.events()) CHECK(json_field(line, "event") != "upstream");
}

TEST_CASE("run slow-handshake: curl -m 2 gives up during the 10 s stall, tlsfault records it closing") {
    RunningEngine engine({"slow-handshake"});
    const std::string host = "slow-handshake.tlsfault.test";
    auto r = curl({"-k", "-sS", "-m", "2", "--connect-to", connect_to(engine, host), "https://" + host + "/"});
    CHECK(r.exit_code == 28);
    auto v = engine.verdict_for(host);
    CHECK(json_field(v, "outcome") == "closed");
    CHECK(json_field(v, "reason").find("during the stall") != std::string::npos);
    CHECK(std::stod(json_field(v, "elapsed_ms")) >= 1900.0);
    CHECK(json_field(engine.wait_for_event("fault"), "type") == "handshake_stall");
    CHECK(json_field(engine.wait_for_event("expectation"), "result") == "fail");  // a patient client would connect
}

TEST_CASE("run tls13-only: after the protocol_version alert OpenSSL sends, tlsfault reads on briefly before its FIN") {
    RunningEngine engine({"tls13-only"});
    const std::string host = "tls13-only.tlsfault.test";
    // A client that reads the alert but does not close: the handshake runs over memory BIOs,
    // and the raw socket stays open to time tlsfault's FIN.
    const std::string script =
        "import socket, ssl, sys, time\n"
        "ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE\n"
        "ctx.maximum_version = ssl.TLSVersion.TLSv1_2\n"
        "incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()\n"
        "tls = ctx.wrap_bio(incoming, outgoing, server_hostname=sys.argv[2])\n"
        "raw = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)\n"
        "while True:\n"
        "    try:\n"
        "        tls.do_handshake(); break\n"
        "    except ssl.SSLWantReadError:\n"
        "        raw.sendall(outgoing.read())\n"
        "        incoming.write(raw.recv(65536))\n"
        "    except ssl.SSLError as e:\n"
        "        print('alert', e.reason); break\n"
        "alerted = time.monotonic()\n"
        "while raw.recv(4096): pass\n"
        "print('fin_after %.2f' % (time.monotonic() - alerted))\n";
    auto r = run_process({"python3", "-c", script, std::to_string(engine.sni_port()), host}, std::chrono::seconds(20));
    CHECK(r.exit_code == 0);
    CHECK_MESSAGE(r.out.find("alert TLSV1_ALERT_PROTOCOL_VERSION") != std::string::npos, r.all());
    auto at = r.out.find("fin_after ");
    REQUIRE(at != std::string::npos);
    CHECK(std::stod(r.out.substr(at + 10)) >= 0.4);  // the linger is 500 ms
    auto v = engine.verdict_for(host);
    CHECK(json_field(v, "outcome") == "handshake_error");
    CHECK(json_field(v, "sent_alert") == "protocol_version");
}

TEST_CASE("run lync-data-store-unavailable: one kept-alive connection's 503, 503, 200 are all on the console" * doctest::timeout(60)) {
    RunningEngine engine({"lync-data-store-unavailable"});
    const std::string url = "https://lyncpool.contoso.com/CertProv/CertProvisioningService.svc";
    auto r = curl({"-k", "-sS", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null", "-w", "%{http_code} %{num_connects}\n",
                   "--connect-to", connect_to(engine, "lyncpool.contoso.com"), url, url, url});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "503 1\n503 0\n200 0\n");  // three answers, one connection (0 new connects after the first)
    CHECK(engine.wait_for_verdicts(1).size() == 1);
    engine.wait_for_event("close");
    const std::string request = "GET /CertProv/CertProvisioningService.svc -> ";
    const std::string all_three = request + "503, " + request + "503, " + request + "200";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (engine.console().find(all_three) == std::string::npos && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the line follows the close event
    CAPTURE(engine.console());
    CHECK(engine.console().find(all_three) != std::string::npos);
    CHECK(count_events(engine, "response") == 3);
}

TEST_CASE("run crm-enterprise-ca-trusted: the control answers with an HTML page any browser shows" * doctest::timeout(60)) {
    RunningEngine engine({"crm-enterprise-ca-trusted"});
    auto r = curl({"-i", "-sS", "--cacert", engine.root_pem(), "--connect-to", connect_to(engine, "mail.contoso.com"),
                   "https://mail.contoso.com/ews/exchange.asmx"});  // IIS ignores case: so does the rule
    CHECK(r.exit_code == 0);
    CHECK(status_line(r.out) == "HTTP/1.1 200 OK");
    CHECK(r.out.find("Content-Type: text/html; charset=utf-8") != std::string::npos);
    CHECK(r.out.find("<!DOCTYPE html>") != std::string::npos);
    CHECK(r.out.find("<h1>Exchange Web Services</h1>") != std::string::npos);
    CHECK(json_field(engine.wait_for_event("response", "\"source\":\"scenario\""), "status") == "200");
    CHECK(json_field(engine.wait_for_event("expectation"), "result") == "pass");
}

TEST_CASE("run cmg-forbidden: a lower-case path with another management point id still gets the 403" * doctest::timeout(60)) {
    RunningEngine engine({"cmg-forbidden"});
    auto r = get(engine, "cmgsccm.contoso.com", "/ccm_proxy_mutualauth/72057594037927939/sms_mp/.sms_aut?SITESIGNCERT");
    CHECK(r.exit_code == 0);
    CHECK(status_line(r.out) == "HTTP/1.1 403 CMGConnector_Forbidden");
    auto rule = engine.wait_for_event("rule", "\"phase\":\"request\"");
    CHECK(json_field(rule, "scenario") == "cmg-forbidden");
    CHECK(json_field(engine.wait_for_event("response", "CMGConnector_Forbidden"), "status") == "403");
}
