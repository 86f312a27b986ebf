// The API's description of itself (openapi.json against the real route table), /metrics, and
// the X-Tlsfault-Connection header that ties a client's answer to its connection record.
#include "tests/integration/api/api_client.hpp"

#include "proxy/api/openapi_document.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <set>

using namespace tlsfault::test;
namespace json = boost::json;

namespace {

std::string header_value(const std::string& head, const std::string& name) {
    auto at = head.find("\n" + name + ": ");
    if (at == std::string::npos) return {};
    at += name.size() + 3;
    return head.substr(at, head.find('\r', at) - at);
}

bool has_line(const std::string& text, const std::string& line) { return text.find("\n" + line + "\n") != std::string::npos; }

}  // namespace

TEST_CASE("api: openapi.json documents exactly the routes the router serves, and is served as is") {
    std::set<std::string> documented, served;
    auto doc = json::parse(tlsfault::proxy::openapi_document());
    for (const auto& [path, item] : doc.at("paths").as_object())
        for (const auto& [method, op] : item.as_object()) {
            std::string upper(method);
            for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            documented.insert(upper + " " + std::string(path));
        }
    for (const auto& route : tlsfault::proxy::api_route_names()) served.insert(route.method + " " + route.pattern);
    for (const auto& r : served) CHECK_MESSAGE(documented.contains(r), "undocumented route: " << r);
    for (const auto& d : documented) CHECK_MESSAGE(served.contains(d), "documented but not served: " << d);
    CHECK(member(doc, {"openapi"}).starts_with("3."));

    RunningEngine e;
    auto served_doc = api(e, "GET", "/api/v1/openapi.json", {.token = ""});
    CHECK(served_doc.status == 200);
    CHECK(served_doc.body == tlsfault::proxy::openapi_document());
}

TEST_CASE("api: /metrics counts connections, verdicts, expectations, handshake time, cache, bytes, revocation, active scenarios") {
    RunningEngine e;
    REQUIRE(api(e, "POST", "/api/v1/active/cert-expired").status == 201);
    CHECK(curl_host(e, "expired.tlsfault.test").exit_code == 60);
    wait_connection(e, "expired.tlsfault.test");
    CHECK(curl_host(e, "good.tlsfault.test").exit_code == 0);
    auto good = wait_connection(e, "good.tlsfault.test");
    REQUIRE(!e.wait_for_event("close", "\"conn\":" + std::to_string(good.at("id").to_number<std::uint64_t>()) + ",").empty());
    auto crl = curl({"-sS", "-o", "/dev/null", "http://127.0.0.1:" + std::to_string(e.revocation_port()) + "/crl/intermediate.crl"});
    CHECK(crl.exit_code == 0);
    REQUIRE(!e.wait_for_event("revocation").empty());

    auto m = api(e, "GET", "/metrics");
    REQUIRE(m.status == 200);
    INFO(m.body);
    const std::string text = "\n" + m.body;
    CHECK(has_line(text, "tlsfault_connections_total{listener=\"sni\"} 2"));
    CHECK(has_line(text, "tlsfault_verdicts_total{outcome=\"alert\",alert=\"certificate_expired\"} 1"));
    CHECK(has_line(text, "tlsfault_verdicts_total{outcome=\"accepted\",alert=\"\"} 1"));
    CHECK(has_line(text, "tlsfault_expectations_total{result=\"pass\"} 1"));
    CHECK(has_line(text, "tlsfault_handshake_duration_seconds_count 2"));
    CHECK(has_line(text, "tlsfault_handshake_duration_seconds_bucket{le=\"+Inf\"} 2"));
    CHECK(has_line(text, "tlsfault_leaf_cache_misses_total 2"));
    CHECK(text.find("\ntlsfault_bytes_relayed_total{direction=\"to_client\"} 0\n") == std::string::npos);
    CHECK(text.find("\ntlsfault_revocation_fetches_total{kind=\"crl\",") != std::string::npos);
    CHECK(has_line(text, "tlsfault_active_scenarios{scenario=\"cert-expired\"} 1"));
    CHECK(has_line(text, "tlsfault_runtime_faults 0"));
    CHECK(api(e, "GET", "/metrics", {.token = ""}).status == 401);
}

TEST_CASE("api: X-Tlsfault-Connection names the connection on the origin page and canned answers, unless the rule turns it off") {
    RunningEngine e;
    const std::string yaml = R"(name: api-header
title: "canned answers"
description: {symptom: "s", cause: "c", fix: "f"}
rules:
  - match: {host: canned.tlsfault.test}
    http: {status: 503, reason: Busy}
  - match: {host: exact.tlsfault.test}
    http: {status: 200, body: "exact\n", connection_header: false}
)";
    REQUIRE(put_inline_yaml(e, yaml).status == 200);
    for (const std::string host : {"good.tlsfault.test", "canned.tlsfault.test", "exact.tlsfault.test"}) {
        CAPTURE(host);
        auto r = curl_host(e, host, {"-D", "-", "-o", "/dev/null"});
        CHECK(r.exit_code == 0);
        auto record = wait_connection(e, host);
        const std::string id = std::to_string(record.at("id").to_number<std::uint64_t>());
        CHECK(header_value(r.out, "X-Tlsfault-Connection") == (host == "exact.tlsfault.test" ? "" : id));
    }
}
