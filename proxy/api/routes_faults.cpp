// Runtime faults, Toxiproxy style: POST faults, GET faults, DELETE faults/{id}. A fault is
// turned into a one-rule scenario (JSON is YAML) and validated by the same loader as scenario
// files, so it takes exactly the `tcp` and `tls` kinds and attributes a rule takes.
#include "proxy/api/api_json.hpp"

#include "scenarios/model/scenario_loader.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdio>

namespace tlsfault::proxy {
namespace json = boost::json;
namespace {

const char* const fault_keys[] = {"host", "listener", "tcp", "tls", "toxicity", "seed"};

/// A loader key path in the generated scenario, as the field of the request.
std::string request_field(std::string path) {
    if (path.starts_with("rules[0].")) path.erase(0, 9);
    if (path.starts_with("match.")) path.erase(0, 6);
    if (path == "sequence.probability") return "toxicity";
    if (path == "sequence.seed") return "seed";
    return path;
}

/// Checks the request's own shape; "" when fine, else the error (and `field`).
std::string check_shape(const json::object& body, std::string& field) {
    for (const auto& [key, value] : body)
        if (std::find(std::begin(fault_keys), std::end(fault_keys), std::string_view(key)) == std::end(fault_keys))
            return field = key, "unknown key '" + std::string(key) + "'; expected host, listener, tcp, tls, toxicity, seed";
    if (!body.contains("host") && !body.contains("listener")) return field = "host", "give host (a host name or glob) and/or listener";
    if (!body.contains("tcp") && !body.contains("tls")) return field = "tcp", "give tcp (a list of faults) and/or tls";
    for (const char* key : {"host", "listener"})
        if (const auto* v = body.if_contains(key); v && !v->is_string()) return field = key, std::string(key) + " must be a string";
    if (const auto* v = body.if_contains("tcp"); v && !v->is_array()) return field = "tcp", "tcp must be a list of faults";
    if (const auto* v = body.if_contains("tls"); v && !v->is_object()) return field = "tls", "tls must be an object";
    if (const auto* v = body.if_contains("toxicity"); v && (!v->is_number() || v->to_number<double>() < 0 || v->to_number<double>() > 1))
        return field = "toxicity", "toxicity must be a number from 0 to 1";
    if (const auto* v = body.if_contains("seed"); v && !v->is_int64() && !v->is_uint64()) return field = "seed", "seed must be an integer";
    return {};
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

/// The one-rule scenario for fault `id`, as flow YAML.
std::string scenario_text(const std::string& id, const json::object& body) {
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
    json::object scenario{{"name", id}, {"title", "runtime fault " + id}, {"description", std::move(description)},
                          {"rules", json::array{std::move(rule)}}};
    std::string text;
    write_flow(text, scenario);
    return text;
}

json::object fault_json(const ApiContext::RuntimeFault& fault) {
    json::object out = fault.request;
    out["id"] = fault.id;
    return out;
}

json::array fault_list(const ApiContext& c) {
    json::array out;
    for (const auto& fault : c.faults) out.push_back(fault_json(fault));
    return out;
}

/// Hands the current faults to the runtime and logs the change; the caller holds c.mutex.
void apply_faults(ApiContext& c, const char* change, const std::string& id) {
    std::vector<std::shared_ptr<const scenarios::Scenario>> scenarios;
    for (const auto& fault : c.faults) scenarios.push_back(fault.scenario);
    c.runtime.set_faults(std::move(scenarios));
    c.log.write(JsonLine(0, "faults_changed").add("change", change).add("fault", id).add("count", static_cast<std::uint64_t>(c.faults.size())));
}

net::awaitable<ApiReply> add_fault(ApiCall& call) {
    auto& c = call.context;
    ApiReply error;
    auto body = parse_json_body(call, error);
    if (!body) co_return error;
    std::string field;
    if (auto problem = check_shape(*body, field); !problem.empty()) co_return error_reply(400, problem, field);
    std::lock_guard lock(c.mutex);
    const std::string id = "fault-" + std::to_string(c.next_fault);
    std::shared_ptr<const scenarios::Scenario> scenario;
    try {
        scenario = scenarios::load_scenario_text(scenario_text(id, *body), "fault");
    } catch (const scenarios::LoadError& e) {
        json::array problems;
        for (const auto& p : e.problems()) problems.push_back(json::string(request_field(p.key_path) + ": " + p.message));
        const auto& first = e.problems().front();
        co_return error_reply(400, request_field(first.key_path) + ": " + first.message, request_field(first.key_path), {{"problems", problems}});
    }
    ++c.next_fault;
    c.faults.push_back({id, *body, scenario});
    apply_faults(c, "add", id);
    co_return json_reply(fault_json(c.faults.back()), 201);
}

net::awaitable<ApiReply> list_faults(ApiCall& call) {
    std::lock_guard lock(call.context.mutex);
    co_return json_reply(json::object{{"faults", fault_list(call.context)}});
}

net::awaitable<ApiReply> remove_fault(ApiCall& call) {
    auto& c = call.context;
    const std::string& id = call.params.at("id");
    std::lock_guard lock(c.mutex);
    auto it = std::find_if(c.faults.begin(), c.faults.end(), [&](const auto& f) { return f.id == id; });
    if (it == c.faults.end()) co_return error_reply(404, "no runtime fault '" + id + "' (GET /api/v1/faults lists them)", "id");
    c.faults.erase(it);
    apply_faults(c, "remove", id);
    co_return json_reply(json::object{{"faults", fault_list(c)}});
}

}  // namespace

void add_fault_routes(std::vector<ApiRoute>& routes) {
    routes.push_back({"POST", "/api/v1/faults",
                      "add a runtime fault: {host|listener, tcp: [faults], tls: {...}, toxicity, seed}; 201 with its id", add_fault});
    routes.push_back({"GET", "/api/v1/faults", "the runtime faults in force", list_faults});
    routes.push_back({"DELETE", "/api/v1/faults/{id}", "remove a runtime fault; 404 when unknown", remove_fault});
}

}  // namespace tlsfault::proxy
