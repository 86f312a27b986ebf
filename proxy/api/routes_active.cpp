// The active set (GET/PUT active, POST/DELETE active/{name}) and POST reset. Every change is
// one swap of the runtime's ScenarioSet, so it applies to connections that start afterwards;
// it is also logged as an `active_changed` event.
#include "proxy/api/api_json.hpp"
#include "proxy/api/request_bodies.hpp"
#include "proxy/api/scenario_json.hpp"

#include "scenarios/builtin/builtin_catalogue.hpp"
#include "scenarios/model/scenario_loader.hpp"

#include <algorithm>
#include <set>

namespace tlsfault::proxy {
namespace json = boost::json;
namespace {

using ScenarioList = std::vector<std::shared_ptr<const scenarios::Scenario>>;

/// The active list as answered by every active route: {"scenarios": [summary, ...]}.
ApiReply active_reply(ApiContext& c, const ScenarioList& active, int status = 200) {
    json::array out;
    for (const auto& s : active) {
        auto known = c.find_scenario(s->name);
        out.push_back(scenario_summary(*s, known ? known->origin : ScenarioOrigin::inline_yaml, true));
    }
    return json_reply(json::object{{"scenarios", std::move(out)}}, status);
}

/// Makes `next` active and logs it; the caller holds c.mutex. A mirrored chain that cannot be
/// minted is a 400 and changes nothing.
std::optional<ApiReply> apply(ApiContext& c, ScenarioList next, const char* change) {
    std::vector<std::string> names;
    for (const auto& s : next) names.push_back(s->name);
    try {
        c.runtime.set_active(std::move(next));
    } catch (const std::exception& e) {
        return error_reply(400, e.what(), "scenarios");
    }
    c.log.write(JsonLine(0, "active_changed").add("change", change).add("active", names));
    return std::nullopt;
}

net::awaitable<ApiReply> get_active(ApiCall& call) {
    std::lock_guard lock(call.context.mutex);
    co_return active_reply(call.context, call.context.runtime.active());
}

/// `yaml[i]` loaded with the scenario loader; its problems (if any) appended to `problems`.
std::shared_ptr<const scenarios::Scenario> load_inline(const std::string& text, std::size_t i, json::array& problems) {
    try {
        return scenarios::load_scenario_text(text, "yaml[" + std::to_string(i) + "]");
    } catch (const scenarios::LoadError& e) {
        for (const auto& p : e.problems()) problems.push_back(json::string(p.to_string()));
        return nullptr;
    }
}

/// Resolves PUT active's body to the scenarios it names; nullopt with `error` set otherwise.
std::optional<ScenarioList> resolve_put(ApiContext& c, const json::object& body, ScenarioList& inline_loaded, ApiReply& error) {
    BodyProblem problem;
    auto request = read_active_request(body, problem);
    if (!request) return error = error_reply(400, problem.message, problem.field), std::nullopt;
    const auto& names = request->names;
    const auto& texts = request->yaml;
    ScenarioList next;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < names.size(); ++i) {
        auto known = c.find_scenario(names[i]);
        if (!known) return error = unknown_scenario(names[i], "scenarios[" + std::to_string(i) + "]"), std::nullopt;
        next.push_back(known->scenario);
    }
    json::array problems;
    std::string first_bad;  // the field named: the first text with problems
    for (std::size_t i = 0; i < texts.size(); ++i) {
        if (auto s = load_inline(texts[i], i, problems))
            inline_loaded.push_back(s);
        else if (first_bad.empty())
            first_bad = "yaml[" + std::to_string(i) + "]";
    }
    if (!problems.empty())
        return error = error_reply(400, "inline scenario YAML has " + std::to_string(problems.size()) + " problem(s)", first_bad,
                                   {{"problems", problems}}),
               std::nullopt;
    for (const auto& s : inline_loaded) {
        if (scenarios::find_builtin_scenario(s->name))
            return error = error_reply(409, "inline scenario '" + s->name + "' has the name of a built-in scenario; give it its own name",
                                       "yaml"),
                   std::nullopt;
        next.push_back(s);
    }
    for (const auto& s : next)
        if (!seen.insert(s->name).second)
            return error = error_reply(409, "scenario '" + s->name + "' is listed twice", "scenarios"), std::nullopt;
    return next;
}

net::awaitable<ApiReply> put_active(ApiCall& call) {
    auto& c = call.context;
    ApiReply error;
    auto body = parse_json_body(call, error);
    if (!body) co_return error;
    std::lock_guard lock(c.mutex);
    ScenarioList inline_loaded;
    auto next = resolve_put(c, *body, inline_loaded, error);
    if (!next) co_return error;
    for (const auto& s : inline_loaded) c.loaded[s->name] = KnownScenario{s, ScenarioOrigin::inline_yaml};
    if (auto failed = apply(c, *next, "put")) co_return *failed;
    co_return active_reply(c, *next);
}

net::awaitable<ApiReply> add_active(ApiCall& call) {
    auto& c = call.context;
    const std::string& name = call.params.at("name");
    std::lock_guard lock(c.mutex);
    auto known = c.find_scenario(name);
    if (!known) co_return unknown_scenario(name, "name");
    auto active = c.runtime.active();
    for (const auto& s : active)
        if (s->name == name) co_return error_reply(409, "scenario '" + name + "' is already active", "name");
    active.push_back(known->scenario);
    if (auto failed = apply(c, active, "add")) co_return *failed;
    co_return active_reply(c, active, 201);
}

net::awaitable<ApiReply> remove_active(ApiCall& call) {
    auto& c = call.context;
    const std::string& name = call.params.at("name");
    std::lock_guard lock(c.mutex);
    auto active = c.runtime.active();
    auto it = std::find_if(active.begin(), active.end(), [&](const auto& s) { return s->name == name; });
    if (it == active.end()) co_return error_reply(404, "scenario '" + name + "' is not active (GET /api/v1/active lists them)", "name");
    active.erase(it);
    if (auto failed = apply(c, active, "remove")) co_return *failed;
    co_return active_reply(c, active);
}

net::awaitable<ApiReply> reset(ApiCall& call) {
    auto& c = call.context;
    std::lock_guard lock(c.mutex);
    c.runtime.reset_counts();
    c.log.write(JsonLine(0, "counters_reset"));
    co_return active_reply(c, c.runtime.active());
}

}  // namespace

void add_active_routes(std::vector<ApiRoute>& routes) {
    routes.push_back({"GET", "/api/v1/active", "the active scenarios, in rule order", get_active});
    routes.push_back(
        {"PUT", "/api/v1/active", "replace the active set: {\"scenarios\": [names], \"yaml\": [inline scenario YAML]}", put_active});
    routes.push_back({"POST", "/api/v1/active/{name}", "activate one more scenario (last in order); 409 when already active", add_active});
    routes.push_back({"DELETE", "/api/v1/active/{name}", "deactivate a scenario; 404 when not active", remove_active});
    routes.push_back({"POST", "/api/v1/reset", "attempt counters and sequences of every active scenario start again", reset});
}

}  // namespace tlsfault::proxy
