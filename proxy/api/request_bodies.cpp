// Reading the control API's request bodies (see request_bodies.hpp). Parse errors report the
// byte offset so a client can find the problem in what it sent. A runtime fault becomes a
// one-rule scenario (JSON is YAML), validated by the same loader as scenario files.
#include "proxy/api/request_bodies.hpp"

#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdio>

namespace tlsfault::proxy {
namespace json = boost::json;
namespace {

const char* const fault_keys[] = {"host", "listener", "tcp", "tls", "toxicity", "seed"};

/// Reads `key` as an array of strings into `out`; false with `problem` set when it is something else.
bool string_list(const json::object& body, const char* key, std::vector<std::string>& out, BodyProblem& problem) {
    const auto* v = body.if_contains(key);
    if (!v) return true;
    if (!v->is_array()) return problem = {std::string(key) + " must be an array of strings", key}, false;
    for (std::size_t i = 0; i < v->as_array().size(); ++i) {
        const auto& item = v->as_array()[i];
        std::string field = std::string(key) + "[" + std::to_string(i) + "]";
        if (!item.is_string()) return problem = {field + " must be a string", field}, false;
        out.emplace_back(item.as_string());
    }
    return true;
}

/// `v` as JSON text the YAML loader reads as written: numbers in plain decimal (Boost.JSON
/// would write 0.5 as 5E-1), strings escaped as JSON (a subset of YAML's double quotes).
void write_flow(std::string& out, const json::value& v) {
    switch (v.kind()) {
    case json::kind::object: {
        out += '{';
        bool first = true;
        for (const auto& [key, item] : v.as_object()) {
            out += first ? "" : ", ";
            first = false;
            out += json::serialize(json::string(key)) + ": ";
            write_flow(out, item);
        }
        out += '}';
        return;
    }
    case json::kind::array: {
        out += '[';
        for (std::size_t i = 0; i < v.as_array().size(); ++i) {
            if (i) out += ", ";
            write_flow(out, v.as_array()[i]);
        }
        out += ']';
        return;
    }
    case json::kind::double_: {
        char text[32];
        std::snprintf(text, sizeof text, "%.15g", v.as_double());
        out += text;
        return;
    }
    default: out += json::serialize(v);
    }
}

}  // namespace

std::optional<json::object> parse_json_object(std::string_view body, BodyProblem& problem) {
    if (body.empty()) return problem = {"the request needs a JSON object body", "body"}, std::nullopt;
    json::parser parser;
    boost::system::error_code ec;
    std::size_t used = parser.write_some(body.data(), body.size(), ec);
    if (!ec && used != body.size()) ec = json::error::extra_data;
    if (ec) return problem = {"body is not valid JSON at byte " + std::to_string(used) + ": " + ec.message(), "body"}, std::nullopt;
    auto value = parser.release();
    if (!value.is_object()) return problem = {"body must be a JSON object", "body"}, std::nullopt;
    return std::move(value.as_object());
}

std::optional<ActiveRequest> read_active_request(const json::object& body, BodyProblem& problem) {
    for (const auto& [key, value] : body)
        if (key != "scenarios" && key != "yaml")
            return problem = {"unknown key '" + std::string(key) + "'; expected scenarios and/or yaml", key}, std::nullopt;
    ActiveRequest request;
    if (!string_list(body, "scenarios", request.names, problem) || !string_list(body, "yaml", request.yaml, problem)) return std::nullopt;
    return request;
}

std::optional<BodyProblem> check_fault_shape(const json::object& body) {
    for (const auto& [key, value] : body)
        if (std::find(std::begin(fault_keys), std::end(fault_keys), std::string_view(key)) == std::end(fault_keys))
            return BodyProblem{"unknown key '" + std::string(key) + "'; expected host, listener, tcp, tls, toxicity, seed", key};
    if (!body.contains("host") && !body.contains("listener")) return BodyProblem{"give host (a host name or glob) and/or listener", "host"};
    if (!body.contains("tcp") && !body.contains("tls")) return BodyProblem{"give tcp (a list of faults) and/or tls", "tcp"};
    for (const char* key : {"host", "listener"})
        if (const auto* v = body.if_contains(key); v && !v->is_string()) return BodyProblem{std::string(key) + " must be a string", key};
    if (const auto* v = body.if_contains("tcp"); v && !v->is_array()) return BodyProblem{"tcp must be a list of faults", "tcp"};
    if (const auto* v = body.if_contains("tls"); v && !v->is_object()) return BodyProblem{"tls must be an object", "tls"};
    if (const auto* v = body.if_contains("toxicity"); v && (!v->is_number() || v->to_number<double>() < 0 || v->to_number<double>() > 1))
        return BodyProblem{"toxicity must be a number from 0 to 1", "toxicity"};
    if (const auto* v = body.if_contains("seed"); v && !v->is_int64() && !v->is_uint64())
        return BodyProblem{"seed must be an integer", "seed"};
    return std::nullopt;
}

std::string fault_scenario_text(const std::string& id, const json::object& body) {
    json::object match, rule{{"name", id}};
    for (const char* key : {"host", "listener"})
        if (const auto* v = body.if_contains(key)) match[key] = *v;
    rule["match"] = std::move(match);
    for (const char* key : {"tcp", "tls"})
        if (const auto* v = body.if_contains(key)) rule[key] = *v;
    if (body.contains("toxicity") || body.contains("seed")) {
        json::object sequence{{"probability", body.contains("toxicity") ? body.at("toxicity") : json::value(1.0)}};
        if (const auto* seed = body.if_contains("seed")) sequence["seed"] = *seed;
        rule["sequence"] = std::move(sequence);
    }
    json::object description{{"symptom", "a runtime fault added through the control API"},
                             {"cause", "POST /api/v1/faults"},
                             {"fix", "DELETE /api/v1/faults/" + id}};
    json::object scenario{
        {"name", id}, {"title", "runtime fault " + id}, {"description", std::move(description)}, {"rules", json::array{std::move(rule)}}};
    std::string text;
    write_flow(text, scenario);
    return text;
}

std::string fault_request_field(std::string path) {
    if (path.starts_with("rules[0].")) path.erase(0, 9);
    if (path.starts_with("match.")) path.erase(0, 6);
    if (path == "sequence.probability") return "toxicity";
    if (path == "sequence.seed") return "seed";
    return path;
}

}  // namespace tlsfault::proxy
