// Java with revocation checking on (-Dcom.sun.net.ssl.checkRevocation=true
// -Dcom.sun.security.enableCRLDP=true, CRLs only, no soft fail) against tlsfault: a revoked
// certificate and a CRL that cannot be fetched. The client is java/RevocationClient.java, run
// from source (one JVM start, about a second, per check: keep them few).
#include "tests/integration/revocation/java_revocation.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::test;

namespace {

/// Runs RevocationClient against `host` on the SNI listener; `extra` are JVM options.
/// `root` is the one CA Java trusts (default: the lab root).
ProcessResult java_client(const RunningEngine& engine, const std::string& host, std::vector<std::string> extra = {},
                          std::string root = {}) {
    return run_process(java_checking_revocation(extra, {host, std::to_string(engine.sni_port()), root.empty() ? engine.root_pem() : root}),
                       std::chrono::seconds(60));
}

}  // namespace

TEST_CASE("java: a certificate on its CRL is refused with 'Certificate has been revoked', the CRL fetch in its timeline") {
    REQUIRE_MESSAGE(java_available(), "java is missing: scripts/common.sh installs openjdk-17-jdk-headless");
    RunningEngine engine({"revoked-crl"});
    auto java = java_client(engine, "revoked-crl.tlsfault.test");
    CHECK(java.exit_code == 1);
    CHECK_MESSAGE(java.out.find("Certificate has been revoked, reason: KEY_COMPROMISE") != std::string::npos, java.all());

    const std::string verdict = engine.verdict_for("revoked-crl.tlsfault.test");
    const std::string conn = json_field(verdict, "conn");
    CHECK(json_field(verdict, "outcome") == "alert");
    CHECK(json_field(verdict, "alert") == "certificate_revoked");
    // Java fetched the CRL the certificate names, during that connection's handshake.
    const std::string fetch = engine.wait_for_event("revocation", "\"resource\":\"crl\"");
    CHECK_MESSAGE(json_field(fetch, "conn") == conn, fetch);
    CHECK(json_field(fetch, "answered") == "crl 1 entry");
    CHECK(json_field(engine.wait_for_event("expectation", "\"conn\":" + conn + ","), "result") == "pass");
}

TEST_CASE("java: api.opendns.com's CRL fetched through the proxy is blackholed, and Java fails closed after its CRL read timeout") {
    REQUIRE_MESSAGE(java_available(), "java is missing: scripts/common.sh installs openjdk-17-jdk-headless");
    RunningEngine engine({"umbrella-revocation-blackhole"});
    // Java's CRL download is a URLConnection: it takes the http proxy settings, and its
    // timeouts (in seconds) are what the blackhole makes the client wait for.
    auto java = java_client(engine, "api.opendns.com",
                            {"-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=" + std::to_string(engine.proxy_port()),
                             "-Dcom.sun.security.crl.timeout=2", "-Dcom.sun.security.crl.readtimeout=2"});
    CHECK(java.exit_code == 1);
    CHECK_MESSAGE(java.out.find("Unable to determine revocation status due to network error") != std::string::npos, java.all());
    CHECK(java.out.find("java.net.SocketTimeoutException: Read timed out") != std::string::npos);

    const std::string held = engine.verdict_for("crl3.digicert.com");
    CHECK(json_field(held, "outcome") == "timeout");
    CHECK(json_field(engine.wait_for_event("fault", "\"conn\":" + json_field(held, "conn") + ","), "type") == "blackhole");
    const std::string api = engine.verdict_for("api.opendns.com");
    CHECK_MESSAGE(json_field(api, "outcome") == "alert", api);
    // --staple truthful staples nothing for a certificate whose responder is a blocked real
    // host (it used to staple "good", and Java 17 then reported bad_certificate_status_response).
    CHECK(json_field(api, "alert") == "certificate_unknown");
    CHECK(json_field(engine.wait_for_event("expectation", "\"conn\":" + json_field(api, "conn") + ","), "result") == "pass");
}

TEST_CASE("java: cmg-secure-failure's revocation part: with its rogue root trusted, the CRL cannot be fetched and Java fails closed") {
    REQUIRE_MESSAGE(java_available(), "java is missing: scripts/common.sh installs openjdk-17-jdk-headless");
    RunningEngine engine({"cmg-secure-failure"});
    // Trusting the rogue root takes INVALID_CA away; the unreachable CRL (CERT_REV_FAILED) is
    // what Java checks next, before the name.
    auto java = java_client(engine, "cmg.contoso.com", {}, engine.dir() / "state/ca/rogue-root.pem");
    CHECK(java.exit_code == 1);
    CHECK_MESSAGE(java.out.find("Unable to determine revocation status due to network error") != std::string::npos, java.all());
    CHECK(java.out.find("java.net.ConnectException: Connection refused") != std::string::npos);
    const std::string verdict = engine.verdict_for("cmg.contoso.com");
    CHECK(json_field(verdict, "outcome") == "alert");
    CHECK(json_field(verdict, "profile") == "cmg-secure-failure");
    // Nothing reached the revocation listener: the CRL URL points where nothing listens.
    for (const auto& line : engine.events()) CHECK(json_field(line, "event") != "revocation");
    CHECK(json_field(engine.wait_for_event("expectation"), "result") == "pass");
}
