// The active set through the API, checked with a real client (curl) on the SNI listener: what
// curl says, and what tlsfault recorded (connections/wait, the event log).
#include "tests/integration/api/api_client.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

using namespace tlsfault::test;
namespace json = boost::json;

namespace {

std::uint64_t last_connection(const RunningEngine& e) {
    auto a = api(e, "GET", "/api/v1/connections?limit=1");
    REQUIRE(a.status == 200);
    return a.json.at("last_id").to_number<std::uint64_t>();
}

const std::string inline_demo = R"(name: api-demo
title: "self-signed for api-demo.tlsfault.test"
description: {symptom: "s", cause: "c", fix: "f"}
rules:
  - name: demo
    match: {host: api-demo.tlsfault.test}
    certificate: self-signed
    expect: {reject: [unknown_ca, bad_certificate, closed]}
)";

}  // namespace

TEST_CASE("api: activate cert-expired, curl fails with its message, wait gives the alert and the expectation, DELETE turns it off") {
    RunningEngine e;
    CHECK(e.console().find("control API     http://127.0.0.1:" + std::to_string(e.api_port()) + "/api/v1/") != std::string::npos);
    auto active = api(e, "GET", "/api/v1/active");
    REQUIRE(active.status == 200);
    CHECK(active.json.at("scenarios").as_array().empty());

    auto added = api(e, "POST", "/api/v1/active/cert-expired");
    REQUIRE(added.status == 201);
    CHECK(member(added.json.at("scenarios").as_array().at(0), {"name"}) == "cert-expired");

    auto r = curl_host(e, "expired.tlsfault.test");
    CHECK(r.exit_code == 60);
    CHECK(r.err.find("curl: (60) SSL certificate problem: certificate has expired") != std::string::npos);
    auto record = wait_connection(e, "expired.tlsfault.test");
    CHECK(member(record, {"scenario"}) == "cert-expired");
    CHECK(member(record, {"rule"}) == "expired");
    CHECK(member(record, {"verdict", "outcome"}) == "alert");
    CHECK(member(record, {"verdict", "alert"}) == "certificate_expired");
    CHECK(member(record, {"expectation", "result"}) == "pass");
    CHECK(member(record, {"certificate", "profile"}) == "expired");
    CHECK(!member(record, {"ja4"}).empty());
    CHECK(member(record, {"listener"}) == "sni");
    // The same connection by id, and the event log agrees.
    auto id = record.at("id").to_number<std::uint64_t>();
    auto by_id = api(e, "GET", "/api/v1/connections/" + std::to_string(id));
    REQUIRE(by_id.status == 200);
    CHECK(member(by_id.json, {"verdict", "alert"}) == "certificate_expired");
    CHECK(json_field(e.wait_for_event("expectation", "\"conn\":" + std::to_string(id) + ","), "result") == "pass");

    auto removed = api(e, "DELETE", "/api/v1/active/cert-expired");
    REQUIRE(removed.status == 200);
    CHECK(removed.json.at("scenarios").as_array().empty());
    CHECK(e.wait_for_event("active_changed", "\"change\":\"remove\"").find("\"active\":[]") != std::string::npos);
    auto good = curl_host(e, "good.tlsfault.test");
    CHECK(good.exit_code == 0);
    auto good_record = wait_connection(e, "good.tlsfault.test");
    CHECK(member(good_record, {"verdict", "outcome"}) == "accepted");
    CHECK(member(good_record, {"scenario"}).empty());
    REQUIRE(good_record.at("requests").as_array().size() == 1);
    CHECK(member(good_record.at("requests").as_array()[0], {"status"}) == "200");
}

TEST_CASE("api: PUT active with inline YAML acts on the next connection, an empty set restores the default") {
    RunningEngine e;
    auto put = put_inline_yaml(e, inline_demo);
    REQUIRE_MESSAGE(put.status == 200, put.body);
    CHECK(member(put.json.at("scenarios").as_array().at(0), {"origin"}) == "inline");

    auto r = curl_host(e, "api-demo.tlsfault.test");
    CHECK(r.exit_code == 60);
    CHECK(r.err.find("self-signed certificate") != std::string::npos);
    auto record = wait_connection(e, "api-demo.tlsfault.test");
    CHECK(member(record, {"scenario"}) == "api-demo");
    CHECK(member(record, {"certificate", "profile"}) == "self-signed");
    CHECK(member(record, {"expectation", "result"}) == "pass");

    // The inline scenario is known by name now: explain as data, and listed.
    auto shown = api(e, "GET", "/api/v1/scenarios/api-demo");
    REQUIRE(shown.status == 200);
    CHECK(member(shown.json, {"active"}) == "true");
    CHECK(member(shown.json.at("rules").as_array().at(0), {"name"}) == "demo");

    const auto since = last_connection(e);
    auto cleared = api(e, "PUT", "/api/v1/active", {.body = R"({"scenarios": []})"});
    REQUIRE(cleared.status == 200);
    auto ok = curl_host(e, "api-demo.tlsfault.test");
    CHECK(ok.exit_code == 0);
    auto after = wait_connection(e, "api-demo.tlsfault.test", since);
    CHECK(member(after, {"verdict", "outcome"}) == "accepted");
    CHECK(member(after, {"certificate", "profile"}) == "good");

    // Re-activated by name, as a loaded scenario.
    auto again = api(e, "POST", "/api/v1/active/api-demo");
    CHECK(again.status == 201);
    CHECK(api(e, "POST", "/api/v1/active/api-demo").status == 409);
}

TEST_CASE("api: POST reset starts attempt counts again") {
    RunningEngine e;
    const std::string counted = R"(name: api-count
title: "count attempts"
description: {symptom: "s", cause: "c", fix: "f"}
rules:
  - match: {host: count.tlsfault.test}
    certificate: good
)";
    REQUIRE(put_inline_yaml(e, counted).status == 200);
    std::uint64_t since = 0;
    for (int attempt = 1; attempt <= 2; ++attempt) {
        REQUIRE(curl_host(e, "count.tlsfault.test").exit_code == 0);
        auto record = wait_connection(e, "count.tlsfault.test", since);
        CHECK(member(record, {"attempt"}) == std::to_string(attempt));
        since = record.at("id").to_number<std::uint64_t>();
    }
    auto reset = api(e, "POST", "/api/v1/reset");
    CHECK(reset.status == 200);
    REQUIRE(curl_host(e, "count.tlsfault.test").exit_code == 0);
    CHECK(member(wait_connection(e, "count.tlsfault.test", since), {"attempt"}) == "1");
    CHECK(!e.wait_for_event("counters_reset").empty());
}

TEST_CASE("api: scenarios list and explain data, the CA as PEM and DER, health without a token") {
    RunningEngine e;
    auto health = api(e, "GET", "/api/v1/health", {.token = ""});
    CHECK(health.status == 200);
    CHECK(health.str("status") == "ok");

    auto list = api(e, "GET", "/api/v1/scenarios");
    REQUIRE(list.status == 200);
    bool found = false;
    for (const auto& s : list.json.at("scenarios").as_array())
        if (member(s, {"name"}) == "cert-expired") found = member(s, {"group"}) == "certificate" && member(s, {"origin"}) == "builtin";
    CHECK(found);

    auto explain = api(e, "GET", "/api/v1/scenarios/cert-expired");
    REQUIRE(explain.status == 200);
    auto cli = run_process({tlsfault_binary(), "explain", "cert-expired"});
    CHECK(explain.str("text") == cli.out);  // the same words as `tlsfault explain`
    CHECK(explain.str("title") == "Expired server certificate");
    CHECK(member(explain.json.at("messages").as_array().at(0), {"text"}) == "curl: (60) SSL certificate problem: certificate has expired");

    auto pem = api(e, "GET", "/api/v1/ca.pem");
    CHECK(pem.status == 200);
    CHECK(pem.body == file_text(e.root_pem()));
    TempDir dir;
    auto der = run_process({"curl", "-sS", "-o", dir / "root.der", "-H", "Authorization: Bearer " + e.api_token(),
                            "http://127.0.0.1:" + std::to_string(e.api_port()) + "/api/v1/ca.der"});
    REQUIRE(der.exit_code == 0);
    auto parsed = run_process({"openssl", "x509", "-inform", "DER", "-in", dir / "root.der", "-noout", "-fingerprint", "-sha256"});
    auto expected = run_process({"openssl", "x509", "-in", e.root_pem(), "-noout", "-fingerprint", "-sha256"});
    CHECK(parsed.exit_code == 0);
    CHECK(parsed.out == expected.out);
}
