// Inline scenario YAML given to the API is loaded like a file: a body_file that does not exist
// and a `listeners:` key are 400s naming yaml[i]:line:col, and nothing is activated; a body_file
// that exists is read once, when the scenario is activated, and served (curl).
#include "tests/integration/api/api_client.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using namespace tlsfault::test;

TEST_CASE("api: inline YAML naming a missing body_file, or declaring listeners, is a 400 with yaml[0]:line:col") {
    RunningEngine e;
    const std::string missing = e.dir() / "no-such-body.html";
    const std::string yaml =
        "name: inline-body\ntitle: t\ndescription: {symptom: s, cause: c, fix: f}\nrules:\n"
        "  - match: {host: body.tlsfault.test}\n    http: {status: 200, body_file: " +
        missing + "}\n";
    auto bad = put_inline_yaml(e, yaml);
    CHECK(bad.status == 400);
    INFO(bad.body);
    const auto& problems = bad.json.at("problems").as_array();
    REQUIRE(problems.size() == 1);
    CHECK(member(problems[0], {}) == "yaml[0]:6:36: rules[0].http.body_file: no such file: " + missing);

    const std::string with_listeners =
        "name: inline-listeners\ntitle: t\ndescription: {symptom: s, cause: c, fix: f}\n"
        "listeners: [{name: legacy, kind: sni, listen: \"127.0.0.1:0\"}]\n"
        "rules:\n  - http: {status: 200}\n";
    auto refused = put_inline_yaml(e, with_listeners);
    CHECK(refused.status == 400);
    INFO(refused.body);
    CHECK(member(refused.json.at("problems").as_array()[0], {})
              .starts_with("yaml[0]:4:12: listeners: a scenario cannot declare listeners (the engine binds only its own)"));
    CHECK(api(e, "GET", "/api/v1/active").json.at("scenarios").as_array().empty());

    // The file written, the same YAML activates; deleted afterwards, its bytes are still served.
    std::ofstream(missing) << "body read at activation\n";
    auto good = put_inline_yaml(e, yaml);
    CHECK(good.status == 200);
    std::filesystem::remove(missing);
    auto r = curl_host(e, "body.tlsfault.test");
    CHECK(r.exit_code == 0);
    CHECK(r.out == "body read at activation\n");
    auto record = wait_connection(e, "body.tlsfault.test");
    CHECK(member(record, {"verdict", "outcome"}) == "accepted");
}
