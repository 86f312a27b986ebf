// Runtime faults through the API (POST/GET/DELETE faults) acting on a real client (curl): the
// next connection gets the fault, tlsfault records it, and it is gone after DELETE.
#include "tests/integration/api/api_client.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

using namespace tlsfault::test;
namespace json = boost::json;

namespace {

std::uint64_t last_id(const RunningEngine& e) {
    return api(e, "GET", "/api/v1/connections?limit=1").json.at("last_id").to_number<std::uint64_t>();
}

bool has_fault_event(const json::object& record, const std::string& event, const std::string& type = {}) {
    const auto* faults = record.if_contains("faults");
    if (!faults) return false;
    for (const auto& f : faults->as_array())
        if (member(f, {"event"}) == event && (type.empty() || member(f, {"type"}) == type)) return true;
    return false;
}

}  // namespace

TEST_CASE("api: a runtime reset fault acts on the next connection, and is gone after DELETE") {
    RunningEngine e;
    auto added = api(e, "POST", "/api/v1/faults", {.body = R"({"host": "good.tlsfault.test", "tcp": [{"type": "reset"}]})"});
    REQUIRE_MESSAGE(added.status == 201, added.body);
    const std::string id = added.str("id");
    CHECK(id == "fault-1");
    auto listed = api(e, "GET", "/api/v1/faults");
    REQUIRE(listed.json.at("faults").as_array().size() == 1);
    CHECK(member(listed.json.at("faults").as_array()[0], {"host"}) == "good.tlsfault.test");

    auto since = last_id(e);
    auto cut = curl_host(e, "good.tlsfault.test");
    CHECK(cut.exit_code != 0);
    CHECK(cut.err.find("reset by peer") != std::string::npos);
    auto record = wait_connection(e, "good.tlsfault.test", since);
    CHECK(member(record, {"verdict", "outcome"}) == "reset");
    CHECK(member(record, {"scenario"}) == id);
    CHECK(has_fault_event(record, "runtime_fault"));
    CHECK(has_fault_event(record, "fault", "reset"));

    auto removed = api(e, "DELETE", "/api/v1/faults/" + id);
    CHECK(removed.status == 200);
    CHECK(removed.json.at("faults").as_array().empty());
    CHECK(api(e, "DELETE", "/api/v1/faults/" + id).status == 404);
    since = last_id(e);
    CHECK(curl_host(e, "good.tlsfault.test").exit_code == 0);
    auto after = wait_connection(e, "good.tlsfault.test", since);
    CHECK(member(after, {"verdict", "outcome"}) == "accepted");
    CHECK_FALSE(has_fault_event(after, "runtime_fault"));
}

TEST_CASE("api: a runtime latency fault adds to an active scenario's rule, on the listener it names") {
    RunningEngine e;
    REQUIRE(api(e, "POST", "/api/v1/active/cert-expired").status == 201);
    auto added =
        api(e, "POST", "/api/v1/faults", {.body = R"({"listener": "sni", "tcp": [{"type": "latency", "latency": "200ms"}], "seed": 7})"});
    REQUIRE_MESSAGE(added.status == 201, added.body);

    auto since = last_id(e);
    auto r = curl_host(e, "expired.tlsfault.test", {"-w", "%{time_connect} %{time_appconnect}"});
    CHECK(r.exit_code == 60);
    CHECK(r.err.find("certificate has expired") != std::string::npos);
    auto record = wait_connection(e, "expired.tlsfault.test", since);
    CHECK(member(record, {"scenario"}) == "cert-expired");  // the scenario's rule still decides
    INFO(json::serialize(record));
    // curl still refuses the certificate; behind the latency its alert and close may reach
    // tlsfault as a reset while delayed bytes are still on their way to it.
    const auto outcome = member(record, {"verdict", "outcome"});
    CHECK((outcome == "alert" || outcome == "reset"));
    CHECK(record.at("verdict").at("elapsed_ms").to_number<double>() >= 200.0);  // the latency acted
    CHECK(member(record, {"expectation", "result"}) == "pass");
    CHECK(has_fault_event(record, "fault", "latency"));
    bool detail = false;
    for (const auto& f : record.at("faults").as_array()) detail |= member(f, {"detail"}).find("latency 200ms") != std::string::npos;
    CHECK(detail);
    // The explicit proxy is another listener: no fault there.
    since = last_id(e);
    auto proxied =
        curl({"-sS", "--cacert", e.root_pem(), "-x", "http://127.0.0.1:" + std::to_string(e.proxy_port()), "https://good.tlsfault.test/"});
    CHECK(proxied.exit_code == 0);
    CHECK_FALSE(has_fault_event(wait_connection(e, "good.tlsfault.test", since), "fault"));
}

TEST_CASE("api: bad runtime faults are 400 naming the field, with the scenario loader's messages") {
    RunningEngine e;
    auto typo = api(e, "POST", "/api/v1/faults", {.body = R"({"host": "x.tlsfault.test", "tcp": [{"type": "latncy"}]})"});
    CHECK(typo.status == 400);
    CHECK(typo.str("field") == "tcp[0].type");
    CHECK(typo.str("error").find("latency") != std::string::npos);  // did you mean
    auto bare = api(e, "POST", "/api/v1/faults", {.body = R"({"host": "x.tlsfault.test", "tcp": [{"type": "latency", "latency": 300}]})"});
    CHECK(bare.status == 400);
    CHECK(bare.str("field") == "tcp[0].latency");
    auto nowhere = api(e, "POST", "/api/v1/faults", {.body = R"({"tcp": [{"type": "reset"}]})"});
    CHECK(nowhere.status == 400);
    CHECK(nowhere.str("field") == "host");
    auto toxic = api(e, "POST", "/api/v1/faults", {.body = R"({"host": "x", "tcp": [{"type": "reset"}], "toxicity": 2})"});
    CHECK(toxic.status == 400);
    CHECK(toxic.str("field") == "toxicity");
    CHECK(api(e, "GET", "/api/v1/faults").json.at("faults").as_array().empty());
}
