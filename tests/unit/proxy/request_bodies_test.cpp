// The control API's request bodies without sockets (request_bodies.cpp): JSON object parsing,
// PUT active's shape, POST faults' shape, and the fault's generated scenario through the loader,
// hostile keys and strings included (the api_json fuzz target's invariants, as fixed cases).
#include "proxy/api/request_bodies.hpp"

#include "scenarios/model/scenario_loader.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

using namespace tlsfault;
using namespace tlsfault::proxy;

namespace {
boost::json::object object_of(std::string_view text) { return boost::json::parse(text).as_object(); }
}  // namespace

TEST_CASE("request bodies: a JSON object, or a problem naming the byte") {
    BodyProblem problem;
    CHECK(parse_json_object(R"({"a": 1})", problem).has_value());
    CHECK_FALSE(parse_json_object("", problem));
    CHECK(problem.message == "the request needs a JSON object body");
    CHECK_FALSE(parse_json_object(R"({"a": )", problem));
    CHECK(problem.message.starts_with("body is not valid JSON at byte"));
    CHECK_FALSE(parse_json_object(R"({"a": 1} x)", problem));
    CHECK(problem.field == "body");
    CHECK_FALSE(parse_json_object("[1]", problem));
    CHECK(problem.message == "body must be a JSON object");
}

TEST_CASE("request bodies: PUT active takes scenarios and yaml, each a list of strings") {
    BodyProblem problem;
    auto ok = read_active_request(object_of(R"({"scenarios": ["a", "b"], "yaml": ["name: x"]})"), problem);
    REQUIRE(ok);
    CHECK(ok->names == std::vector<std::string>{"a", "b"});
    CHECK(ok->yaml.size() == 1);
    CHECK_FALSE(read_active_request(object_of(R"({"scenario": []})"), problem));
    CHECK(problem.field == "scenario");
    CHECK_FALSE(read_active_request(object_of(R"({"scenarios": ["a", 7]})"), problem));
    CHECK(problem.field == "scenarios[1]");
    CHECK_FALSE(read_active_request(object_of(R"({"yaml": "name: x"})"), problem));
    CHECK(problem.message == "yaml must be an array of strings");
}

TEST_CASE("request bodies: POST faults' shape, and a hostile body stays one rule of one scenario") {
    CHECK(check_fault_shape(object_of(R"({"tcp": [{"type": "reset"}]})"))->field == "host");
    CHECK(check_fault_shape(object_of(R"({"host": "x", "tcp": [], "toxicity": 2})"))->field == "toxicity");
    CHECK(check_fault_shape(object_of(R"({"host": "x", "tls": [], "seed": 1})"))->field == "tls");
    CHECK_FALSE(check_fault_shape(object_of(R"({"host": "x", "tcp": [{"type": "reset"}], "seed": 7})")));
    auto scenario = scenarios::load_scenario_text(
        fault_scenario_text("fault-3", object_of(R"({"host": "a\"b: c\n- d", "tcp": [{"type": "reset"}], "toxicity": 0.5})")), "fault");
    CHECK(scenario->name == "fault-3");
    CHECK(scenario->rules.size() == 1);
    try {
        scenarios::load_scenario_text(
            fault_scenario_text("fault-4", object_of(R"({"host": "x", "tcp": [{"type": "latency", "latency": 300}]})")), "fault");
        FAIL("a latency without a unit loads");
    } catch (const scenarios::LoadError& e) {
        CHECK(fault_request_field(e.problems().front().key_path).starts_with("tcp[0]"));
    }
}
