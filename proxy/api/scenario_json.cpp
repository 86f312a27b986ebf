// Scenario data built from the same functions `explain` and `list` use (scenario_text.hpp),
// so the API and the CLI never describe a scenario differently.
#include "proxy/api/scenario_json.hpp"

#include "proxy/api/api_json.hpp"

#include "scenarios/builtin/builtin_catalogue.hpp"
#include "scenarios/builtin/scenario_text.hpp"

namespace tlsfault::proxy {
namespace json = boost::json;

json::object scenario_summary(const scenarios::Scenario& scenario, ScenarioOrigin origin, bool active) {
    return json::object{{"name", scenario.name},     {"group", scenario.group},     {"title", scenario.title},
                        {"source", scenario.source}, {"origin", to_string(origin)}, {"active", active}};
}

json::object scenario_details(const scenarios::Scenario& scenario, ScenarioOrigin origin, bool active) {
    auto out = scenario_summary(scenario, origin, active);
    const auto& d = scenario.description;
    out["symptom"] = d.symptom;
    out["cause"] = d.cause;
    out["fix"] = d.fix;
    json::array messages;
    for (const auto& m : d.messages) messages.push_back(json::object{{"client", m.client}, {"text", m.text}});
    out["messages"] = std::move(messages);
    json::array rules;
    for (const auto& rule : scenario.rules)
        rules.push_back(json::object{{"name", rule.name}, {"summary", scenarios::summarize_rule(rule)}});
    out["rules"] = std::move(rules);
    json::array try_lines;
    for (const auto& line : scenarios::try_commands(scenario)) try_lines.push_back(json::string(line));
    out["try"] = std::move(try_lines);
    out["text"] = scenarios::explain_text(scenario);
    return out;
}

ApiReply unknown_scenario(const std::string& name, const std::string& field) {
    std::string best = scenarios::closest_builtin_scenario(name);
    return error_reply(404,
                       "unknown scenario '" + name + "'" +
                           (best.empty() ? std::string(" (GET /api/v1/scenarios lists them)") : "; did you mean '" + best + "'?"),
                       field);
}

}  // namespace tlsfault::proxy
