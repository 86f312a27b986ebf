// Stock Java against the revocation cases: the JDK's default SSLContext and trust manager (the
// lab root in a PKCS12 trust store), nothing custom, revocation turned on only by the documented
// system properties -Dcom.sun.net.ssl.checkRevocation=true -Dcom.sun.security.enableCRLDP=true.
// Java then checks the whole chain from CRLs: the intermediate against the root's CRL (its CDP)
// and the leaf against the intermediate's. Each case asserts what Java printed and what tlsfault
// recorded (revocation fetches linked to the connection, staples, verdict, expectation).
#include "tests/integration/revocation/java_revocation.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::test;

namespace {

/// A PKCS12 trust store holding `root_pem` alone, made by keytool in `dir`.
std::string trust_store(const TempDir& dir, const std::string& root_pem) {
    static int made_count = 0;  // one store per call: keytool refuses an alias that exists
    const std::string store = dir / ("trust-" + std::to_string(++made_count) + ".p12");
    auto made = run_process({"keytool", "-importcert", "-noprompt", "-alias", "lab-root", "-file", root_pem, "-keystore", store,
                             "-storetype", "PKCS12", "-storepass", "changeit"},
                            std::chrono::seconds(30));
    REQUIRE_MESSAGE(made.exit_code == 0, made.all());
    return store;
}

/// RevocationClient --stock against `host` on the SNI listener, trusting `root` (the lab root by
/// default); `extra` are more JVM options (a proxy, shorter CRL timeouts).
ProcessResult stock_java(const RunningEngine& engine, const std::string& host, std::vector<std::string> extra = {}, std::string root = {}) {
    const std::string store = trust_store(engine.dir(), root.empty() ? engine.root_pem() : root);
    std::vector<std::string> options = {"-Djavax.net.ssl.trustStore=" + store, "-Djavax.net.ssl.trustStorePassword=changeit",
                                        "-Djavax.net.ssl.trustStoreType=PKCS12"};
    options.insert(options.end(), extra.begin(), extra.end());
    return run_process(java_checking_revocation(options, {host, std::to_string(engine.sni_port()), "--stock"}), std::chrono::seconds(60));
}

/// The `revocation` event whose target contains `target`, checked to be linked to `conn`.
void check_fetch_linked(const RunningEngine& engine, const std::string& target, const std::string& conn, const std::string& answered) {
    const std::string fetch = engine.wait_for_event("revocation", target);
    CHECK_MESSAGE(json_field(fetch, "conn") == conn, fetch);
    if (!answered.empty()) CHECK_MESSAGE(json_field(fetch, "answered") == answered, fetch);
}

std::string expectation_of(const RunningEngine& engine, const std::string& conn) {
    return json_field(engine.wait_for_event("expectation", "\"conn\":" + conn + ","), "result");
}

}  // namespace

TEST_CASE("java stock: revoked-crl: Java follows the intermediate's CDP to the root's CRL, then the leaf's, and says revoked") {
    REQUIRE_MESSAGE(java_available(), "java is missing: scripts/common.sh installs openjdk-17-jdk-headless");
    RunningEngine engine({"revoked-crl"});
    auto java = stock_java(engine, "revoked-crl.tlsfault.test");
    CHECK(java.exit_code == 1);
    CHECK_MESSAGE(java.out.find("Certificate has been revoked, reason: KEY_COMPROMISE") != std::string::npos, java.all());

    const std::string verdict = engine.verdict_for("revoked-crl.tlsfault.test");
    const std::string conn = json_field(verdict, "conn");
    CHECK(json_field(verdict, "outcome") == "alert");
    CHECK(json_field(verdict, "alert") == "certificate_revoked");
    check_fetch_linked(engine, "/crl/root.crl", conn, "crl 1 entry");  // the intermediate: good (only its revoked stand-in is listed)
    check_fetch_linked(engine, "/crl/intermediate.crl", conn, "crl 1 entry");
    CHECK(expectation_of(engine, conn) == "pass");
}

TEST_CASE("java stock: revoked-ocsp: the truthful staple says revoked, and Java asks the root's OCSP about the intermediate") {
    REQUIRE_MESSAGE(java_available(), "java is missing: scripts/common.sh installs openjdk-17-jdk-headless");
    RunningEngine engine({"revoked-ocsp"});
    auto java = stock_java(engine, "revoked-ocsp.tlsfault.test");
    CHECK(java.exit_code == 1);
    CHECK_MESSAGE(java.out.find("Certificate has been revoked, reason: KEY_COMPROMISE") != std::string::npos, java.all());

    const std::string verdict = engine.verdict_for("revoked-ocsp.tlsfault.test");
    const std::string conn = json_field(verdict, "conn");
    CHECK(json_field(verdict, "outcome") == "alert");
    CHECK(json_field(verdict, "alert") == "bad_certificate_status_response");  // Java 17's alert for any failure once stapled
    CHECK(json_field(engine.wait_for_event("staple", "\"conn\":" + conn + ","), "mode") == "truthful");
    // With a staple Java checks by OCSP, without ocsp.enable: the intermediate's own OCSP URL.
    check_fetch_linked(engine, "/ocsp/root", conn, "good");
    CHECK(expectation_of(engine, conn) == "pass");
}

TEST_CASE("java stock: umbrella-revocation-blackhole: Java waits for the blackholed CRL, fails closed, and is judged by its alert") {
    REQUIRE_MESSAGE(java_available(), "java is missing: scripts/common.sh installs openjdk-17-jdk-headless");
    // The fetch goes through the proxy to a blocked real host, so it is not linked to the API
    // connection: the default --handshake-timeout (30 s) covers Java's CRL read timeout (15 s
    // by default; 3 s here to keep the test short).
    RunningEngine engine({"umbrella-revocation-blackhole"});
    auto java = stock_java(
        engine, "api.opendns.com",
        {"-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=" + std::to_string(engine.proxy_port()), "-Dcom.sun.security.crl.readtimeout=3"});
    CHECK(java.exit_code == 1);
    CHECK_MESSAGE(java.out.find("Unable to determine revocation status due to network error") != std::string::npos, java.all());
    CHECK(java.out.find("java.net.SocketTimeoutException: Read timed out") != std::string::npos);

    const std::string held = engine.verdict_for("crl3.digicert.com");
    CHECK(json_field(held, "outcome") == "timeout");
    CHECK(json_field(engine.wait_for_event("fault", "\"conn\":" + json_field(held, "conn") + ","), "type") == "blackhole");
    const std::string api = engine.verdict_for("api.opendns.com");
    const std::string conn = json_field(api, "conn");
    CHECK_MESSAGE(json_field(api, "outcome") == "alert", api);  // Java's decision, not tlsfault's timeout
    CHECK(json_field(api, "alert") == "certificate_unknown");
    // No good staple let Java skip the check: the certificate's responder is a blocked real host.
    const std::string staple = engine.wait_for_event("staple", "\"conn\":" + conn + ",");
    CHECK_MESSAGE(json_field(staple, "none").find("http://ocsp.digicert.com") != std::string::npos, staple);
    check_fetch_linked(engine, "/crl/root.crl", conn, "crl 1 entry");
    CHECK(expectation_of(engine, conn) == "pass");
}

TEST_CASE("java stock: the handshake deadline waits for a CRL fetch the revocation listener holds for that connection") {
    REQUIRE_MESSAGE(java_available(), "java is missing: scripts/common.sh installs openjdk-17-jdk-headless");
    TempDir dir;
    const std::string file =
        write_scenario(dir, "held-crl",
                       "  - match: {host: held-crl.tlsfault.test}\n"
                       "    certificate: {profile: good, crl_urls: [\"{revocation_url}/blackhole/crl/{issuer}.crl\"], ocsp_urls: []}\n"
                       "    expect: {reject: any}\n");
    // 2 s: Java must reach its CRL fetch within the deadline for the fetch to extend it, and on a
    // loaded machine it took over 1 s from the ClientHello (a CI run here saw the 1 s fire first).
    RunningEngine engine({file, "--handshake-timeout", "2s"});
    auto java = stock_java(engine, "held-crl.tlsfault.test", {"-Dcom.sun.security.crl.readtimeout=4"});
    CHECK(java.exit_code == 1);
    CHECK_MESSAGE(java.out.find("Unable to determine revocation status due to network error") != std::string::npos, java.all());

    const std::string verdict = engine.verdict_for("held-crl.tlsfault.test");
    const std::string conn = json_field(verdict, "conn");
    CHECK_MESSAGE(json_field(verdict, "outcome") == "alert", verdict);  // 4 s after a 2 s deadline
    CHECK(json_field(verdict, "alert") == "certificate_unknown");
    check_fetch_linked(engine, "/blackhole/crl/intermediate.crl", conn, "nothing (blackhole)");
    CHECK(json_field(engine.wait_for_event("revocation_end", "\"conn\":" + conn + ","), "outcome") == "client gave up");
}

TEST_CASE("java stock: cmg-secure-failure's revocation part: with the rogue root trusted, the unreachable CRL fails closed") {
    REQUIRE_MESSAGE(java_available(), "java is missing: scripts/common.sh installs openjdk-17-jdk-headless");
    RunningEngine engine({"cmg-secure-failure"});
    auto java = stock_java(engine, "cmg.contoso.com", {}, engine.dir() / "state/ca/rogue-root.pem");
    CHECK(java.exit_code == 1);
    CHECK_MESSAGE(java.out.find("Unable to determine revocation status due to network error") != std::string::npos, java.all());
    CHECK(java.out.find("java.net.ConnectException: Connection refused") != std::string::npos);
    const std::string verdict = engine.verdict_for("cmg.contoso.com");
    CHECK(json_field(verdict, "outcome") == "alert");
    CHECK(json_field(verdict, "profile") == "cmg-secure-failure");
    for (const auto& line : engine.events()) CHECK(json_field(line, "event") != "revocation");  // nothing reached the listener
    CHECK(expectation_of(engine, json_field(verdict, "conn")) == "pass");
}

TEST_CASE("java stock: chain.intermediate_status revoked and unreachable: Java reports the intermediate, not the leaf") {
    REQUIRE_MESSAGE(java_available(), "java is missing: scripts/common.sh installs openjdk-17-jdk-headless");
    TempDir dir;
    const std::string file = write_scenario(dir, "bad-intermediates",
                                            "  - match: {host: revoked-ca.tlsfault.test}\n"
                                            "    chain: {intermediate_status: revoked}\n"
                                            "  - match: {host: unreachable-ca.tlsfault.test}\n"
                                            "    chain: {intermediate_status: unreachable}\n");
    RunningEngine engine({file});
    auto revoked = stock_java(engine, "revoked-ca.tlsfault.test");
    CHECK(revoked.exit_code == 1);
    CHECK_MESSAGE(revoked.out.find("Certificate has been revoked, reason: CA_COMPROMISE") != std::string::npos, revoked.all());
    const std::string verdict = engine.verdict_for("revoked-ca.tlsfault.test");
    CHECK(json_field(verdict, "alert") == "bad_certificate_status_response");  // the leaf's staple (good) makes Java use OCSP
    check_fetch_linked(engine, "/ocsp/root", json_field(verdict, "conn"), "revoked");

    auto unreachable = stock_java(engine, "unreachable-ca.tlsfault.test");
    CHECK(unreachable.exit_code == 1);
    CHECK_MESSAGE(unreachable.out.find("Unable to determine revocation status due to network error") != std::string::npos,
                  unreachable.all());
    CHECK(unreachable.out.find("java.net.ConnectException: Connection refused") != std::string::npos);
    CHECK(json_field(engine.verdict_for("unreachable-ca.tlsfault.test"), "outcome") == "alert");
}
