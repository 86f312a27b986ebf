// Runtime faults, Toxiproxy style: POST faults, GET faults, DELETE faults/{id}. A fault is
// turned into a one-rule scenario (JSON is YAML; request_bodies.cpp) and validated by the same
// loader as scenario files, so it takes exactly the `tcp` and `tls` kinds and attributes a rule takes.
#include "proxy/api/api_json.hpp"
#include "proxy/api/request_bodies.hpp"

#include "scenarios/model/scenario_loader.hpp"

#include <algorithm>

namespace tlsfault::proxy {
namespace json = boost::json;
namespace {

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
    c.log.write(
        JsonLine(0, "faults_changed").add("change", change).add("fault", id).add("count", static_cast<std::uint64_t>(c.faults.size())));
}

net::awaitable<ApiReply> add_fault(ApiCall& call) {
    auto& c = call.context;
    ApiReply error;
    auto body = parse_json_body(call, error);
    if (!body) co_return error;
    if (auto problem = check_fault_shape(*body)) co_return error_reply(400, problem->message, problem->field);
    std::lock_guard lock(c.mutex);
    const std::string id = "fault-" + std::to_string(c.next_fault);
    std::shared_ptr<const scenarios::Scenario> scenario;
    try {
        scenario = scenarios::load_scenario_text(fault_scenario_text(id, *body), "fault");
    } catch (const scenarios::LoadError& e) {
        json::array problems;
        for (const auto& p : e.problems()) problems.push_back(json::string(fault_request_field(p.key_path) + ": " + p.message));
        const auto& first = e.problems().front();
        co_return error_reply(400, fault_request_field(first.key_path) + ": " + first.message, fault_request_field(first.key_path),
                              {{"problems", problems}});
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
