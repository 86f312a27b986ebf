// curl, directly (--connect-to the SNI listener) and through the explicit proxy (-x): each test
// checks what curl said AND the verdict tlsfault recorded.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::test;

namespace {

std::string proxy_url(const RunningEngine& e) { return "http://127.0.0.1:" + std::to_string(e.proxy_port()); }

}  // namespace

TEST_CASE("sni listener: curl without the lab root fails and tlsfault records unknown_ca") {
    RunningEngine engine;
    auto r = curl({"--connect-to", connect_to(engine, "good.tlsfault.test"), "https://good.tlsfault.test/"});
    CHECK(r.exit_code == 60);
    auto v = engine.verdict_for("good.tlsfault.test");
    CHECK(json_field(v, "outcome") == "alert");
    CHECK(json_field(v, "alert") == "unknown_ca");
    CHECK(json_field(v, "phase") == "handshake");
}

TEST_CASE("sni listener: curl trusting the lab root refuses expired with certificate_expired") {
    RunningEngine engine;
    auto r = curl(
        {"--cacert", engine.root_pem(), "--connect-to", connect_to(engine, "expired.tlsfault.test"), "https://expired.tlsfault.test/"});
    CHECK(r.exit_code == 60);
    CHECK(r.err.find("expired") != std::string::npos);
    auto v = engine.verdict_for("expired.tlsfault.test");
    CHECK(json_field(v, "outcome") == "alert");
    CHECK(json_field(v, "alert") == "certificate_expired");
    CHECK(json_field(v, "profile") == "expired");
    auto cert = engine.wait_for_event("certificate", "expired.tlsfault.test");
    CHECK(json_field(cert, "subject").find("CN=expired.tlsfault.test") != std::string::npos);
    CHECK(json_field(cert, "sha256").size() == 95);
    CHECK(json_field(cert, "chain_length") == "1");
}

TEST_CASE("sni listener: curl -k is accepted and origin mode answers 200 with the finding") {
    RunningEngine engine;
    auto r = curl({"-k", "-H", "Accept: application/json", "-w", "\n%{http_code}", "--connect-to",
                   connect_to(engine, "expired.tlsfault.test"), "https://expired.tlsfault.test/check"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("\n200") != std::string::npos);
    CHECK(r.out.find("\"profile\": \"expired\"") != std::string::npos);
    CHECK(r.out.find("accepted a certificate that is wrong") != std::string::npos);
    auto v = engine.verdict_for("expired.tlsfault.test");
    CHECK(json_field(v, "outcome") == "accepted");
    CHECK(json_field(v, "phase") == "request");
    auto hello = engine.wait_for_event("client_hello", "expired.tlsfault.test");
    CHECK(json_field(hello, "ja3_hash").size() == 32);
    CHECK(hello.find("\"alpn\":[\"h2\",\"http/1.1\"]") != std::string::npos);
    CHECK(engine.wait_for_event("response", "\"status\":200") != "");
    CHECK(engine.wait_for_event("tls", "\"alpn\":\"http/1.1\"") != "");
}

TEST_CASE("sni listener: curl trusting the lab root accepts good and the console shows one line") {
    RunningEngine engine;
    auto r = curl({"--cacert", engine.root_pem(), "--connect-to", connect_to(engine, "good.tlsfault.test"), "https://good.tlsfault.test/"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("valid lab certificate") != std::string::npos);
    CHECK(json_field(engine.verdict_for("good.tlsfault.test"), "outcome") == "accepted");
    engine.wait_for_event("close");
    CHECK(engine.console().find("good.tlsfault.test [good] -> accepted") != std::string::npos);
}

TEST_CASE("explicit proxy: curl -x without the lab root fails and tlsfault records unknown_ca") {
    RunningEngine engine;
    auto r = curl({"-x", proxy_url(engine), "https://good.tlsfault.test/"});
    CHECK(r.exit_code == 60);
    auto v = engine.verdict_for("good.tlsfault.test");
    CHECK(json_field(v, "outcome") == "alert");
    CHECK(json_field(v, "alert") == "unknown_ca");
    CHECK(engine.wait_for_event("request", "\"method\":\"CONNECT\"") != "");
}

TEST_CASE("explicit proxy: curl -x trusting the lab root refuses expired with certificate_expired") {
    RunningEngine engine;
    auto r = curl({"--cacert", engine.root_pem(), "-x", proxy_url(engine), "https://expired.tlsfault.test/"});
    CHECK(r.exit_code == 60);
    auto v = engine.verdict_for("expired.tlsfault.test");
    CHECK(json_field(v, "outcome") == "alert");
    CHECK(json_field(v, "alert") == "certificate_expired");
}

TEST_CASE("explicit proxy: curl -x -k is accepted and gets the origin page") {
    RunningEngine engine;
    auto r = curl({"-k", "-x", proxy_url(engine), "-w", "\n%{http_code}", "https://wrong-host.tlsfault.test/page"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("\n200") != std::string::npos);
    CHECK(r.out.find("<!doctype html>") != std::string::npos);
    auto v = engine.verdict_for("wrong-host.tlsfault.test");
    CHECK(json_field(v, "outcome") == "accepted");
    CHECK(json_field(v, "profile") == "wrong-host");
}
