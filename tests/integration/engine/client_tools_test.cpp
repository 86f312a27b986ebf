// openssl s_client and Python's ssl module against wrong-host, self-signed and
// missing-intermediate: the client's own error and tlsfault's recorded alert must agree.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::test;

namespace {

ProcessResult s_client(const RunningEngine& e, const std::string& host) {
    return run_process({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(e.sni_port()), "-servername", host, "-CAfile",
                        e.root_pem(), "-verify_return_error", "-verify_hostname", host, "-ign_eof"},
                       std::chrono::seconds(20), "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
}

/// Prints "ok <status>" or "verify <code> <message>".
ProcessResult python_client(const RunningEngine& e, const std::string& host) {
    std::string script =
        "import socket, ssl, sys\n"
        "ctx = ssl.create_default_context(cafile=sys.argv[1])\n"
        "s = socket.create_connection(('127.0.0.1', int(sys.argv[2])), timeout=10)\n"
        "try:\n"
        "    t = ctx.wrap_socket(s, server_hostname=sys.argv[3])\n"
        "    t.sendall(b'GET / HTTP/1.1\\r\\nHost: ' + sys.argv[3].encode() + b'\\r\\nConnection: close\\r\\n\\r\\n')\n"
        "    print('ok', t.recv(100).split(b'\\r\\n')[0].decode())\n"
        "except ssl.SSLCertVerificationError as e:\n"
        "    print('verify', e.verify_code, e.verify_message)\n";
    return run_process({"python3", "-c", script, e.root_pem(), std::to_string(e.sni_port()), host}, std::chrono::seconds(20));
}

struct Case {
    const char* host;
    const char* openssl_error;  ///< in s_client's output
    int python_code;            ///< X509_V_ERR_* Python reports
    const char* alert;          ///< what tlsfault must record
};

const Case cases[] = {
    {"wrong-host.tlsfault.test", "hostname mismatch", 62, "bad_certificate"},
    {"self-signed.tlsfault.test", "self-signed certificate", 18, "unknown_ca"},
    {"missing-intermediate.tlsfault.test", "unable to get local issuer certificate", 20, "unknown_ca"},
};

}  // namespace

TEST_CASE("openssl s_client: wrong-host, self-signed and missing-intermediate are refused and recorded") {
    RunningEngine engine;
    for (const auto& c : cases) {
        CAPTURE(c.host);
        auto r = s_client(engine, c.host);
        CHECK(r.exit_code != 0);
        CHECK(r.all().find(c.openssl_error) != std::string::npos);
        auto v = engine.verdict_for(c.host);
        CHECK(json_field(v, "outcome") == "alert");
        CHECK(json_field(v, "alert") == c.alert);
    }
}

TEST_CASE("openssl s_client: good with the lab root completes and is accepted") {
    RunningEngine engine;
    auto r = s_client(engine, "good.tlsfault.test");
    CHECK(r.out.find("Verify return code: 0 (ok)") != std::string::npos);
    CHECK(r.out.find("HTTP/1.1 200 OK") != std::string::npos);
    CHECK(json_field(engine.verdict_for("good.tlsfault.test"), "outcome") == "accepted");
}

TEST_CASE("python ssl: wrong-host, self-signed and missing-intermediate are refused and recorded") {
    RunningEngine engine;
    for (const auto& c : cases) {
        CAPTURE(c.host);
        auto r = python_client(engine, c.host);
        CHECK(r.exit_code == 0);
        CHECK(r.out.rfind("verify " + std::to_string(c.python_code), 0) == 0);
        auto v = engine.verdict_for(c.host);
        CHECK(json_field(v, "outcome") == "alert");
        CHECK(json_field(v, "alert") == c.alert);
    }
}

TEST_CASE("python ssl: good with the lab root is accepted and answered") {
    RunningEngine engine;
    auto r = python_client(engine, "good.tlsfault.test");
    CHECK(r.out == "ok HTTP/1.1 200 OK\n");
    CHECK(json_field(engine.verdict_for("good.tlsfault.test"), "outcome") == "accepted");
}
