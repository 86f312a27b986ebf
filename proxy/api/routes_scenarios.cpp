// GET scenarios (the catalogue and what was loaded) and GET scenarios/{name} (explain as data).
#include "proxy/api/api_json.hpp"
#include "proxy/api/scenario_json.hpp"

#include "scenarios/builtin/builtin_catalogue.hpp"

#include <set>

namespace tlsfault::proxy {
namespace json = boost::json;
namespace {

std::set<const scenarios::Scenario*> active_set(const ApiContext& c) {
    std::set<const scenarios::Scenario*> out;
    for (const auto& s : c.runtime.active()) out.insert(s.get());
    return out;
}

net::awaitable<ApiReply> list_scenarios(ApiCall& call) {
    auto& c = call.context;
    const auto active = active_set(c);
    json::array out;
    std::lock_guard lock(c.mutex);
    for (const auto& s : scenarios::builtin_scenarios())
        if (!c.loaded.contains(s->name)) out.push_back(scenario_summary(*s, ScenarioOrigin::builtin, active.contains(s.get())));
    for (const auto& [name, known] : c.loaded)
        out.push_back(scenario_summary(*known.scenario, known.origin, active.contains(known.scenario.get())));
    co_return json_reply(json::object{{"scenarios", std::move(out)}});
}

net::awaitable<ApiReply> show_scenario(ApiCall& call) {
    auto& c = call.context;
    const std::string& name = call.params.at("name");
    std::optional<KnownScenario> known;
    {
        std::lock_guard lock(c.mutex);
        known = c.find_scenario(name);
    }
    if (!known) co_return unknown_scenario(name, "name");
    co_return json_reply(scenario_details(*known->scenario, known->origin, active_set(c).contains(known->scenario.get())));
}

}  // namespace

void add_scenario_routes(std::vector<ApiRoute>& routes) {
    routes.push_back(
        {"GET", "/api/v1/scenarios", "every scenario the engine knows: the catalogue, files given to run, inline YAML", list_scenarios});
    routes.push_back({"GET", "/api/v1/scenarios/{name}", "one scenario as `tlsfault explain` describes it", show_scenario});
    add_active_routes(routes);
}

}  // namespace tlsfault::proxy
