// What the control API reads from request bodies, without sockets: the JSON object itself, PUT
// active's {scenarios, yaml}, and POST faults' shape and the one-rule scenario built from it.
// The routes (routes_active.cpp, routes_faults.cpp) answer with these; the api_json fuzz target
// (tests/fuzz/api_json_fuzz.cpp) feeds them hostile bytes. Internal to proxy/api/.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tlsfault::proxy {

/// Why a body is refused: the message and the request field it names ("" for none).
struct BodyProblem {
    std::string message;
    std::string field;
};

/// `body` parsed as one JSON object; otherwise the problem (empty, invalid JSON at byte N, not an object).
std::optional<boost::json::object> parse_json_object(std::string_view body, BodyProblem& problem);

/// PUT active's body: built-in or loaded scenario names, and inline scenario YAML texts.
struct ActiveRequest {
    std::vector<std::string> names;
    std::vector<std::string> yaml;
};

/// Reads PUT active's body (only `scenarios` and `yaml`, each an array of strings).
std::optional<ActiveRequest> read_active_request(const boost::json::object& body, BodyProblem& problem);

/// Checks POST faults' body shape (known keys; host and/or listener; tcp and/or tls; types;
/// toxicity 0..1; integer seed); nullopt when fine.
std::optional<BodyProblem> check_fault_shape(const boost::json::object& body);

/// The one-rule scenario for runtime fault `id` as flow YAML, for the scenario loader.
std::string fault_scenario_text(const std::string& id, const boost::json::object& body);

/// A loader key path in that scenario ("rules[0].tcp[0].latency") as the request's field ("tcp[0].latency").
std::string fault_request_field(std::string key_path);

}  // namespace tlsfault::proxy
