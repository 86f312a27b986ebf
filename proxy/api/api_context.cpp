// Scenario lookup for the API: what `run` loaded and inline YAML first, then the catalogue.
#include "proxy/api/api_context.hpp"

#include "common/name_table.hpp"

#include "scenarios/builtin/builtin_catalogue.hpp"

namespace tlsfault::proxy {

std::string_view to_string(ScenarioOrigin origin) {
    constexpr NameTable<ScenarioOrigin, 3> names{{
        {ScenarioOrigin::builtin, "builtin"},
        {ScenarioOrigin::file, "file"},
        {ScenarioOrigin::inline_yaml, "inline"},
    }};
    return name_of(names, origin, "?");
}

std::optional<KnownScenario> ApiContext::find_scenario(const std::string& name) const {
    auto it = loaded.find(name);
    // An active scenario is the newest version of its name (a file may have been reloaded since).
    for (const auto& active : runtime.active())
        if (active->name == name) return KnownScenario{active, it != loaded.end() ? it->second.origin : ScenarioOrigin::builtin};
    if (it != loaded.end()) return it->second;
    if (auto builtin = scenarios::find_builtin_scenario(name)) return KnownScenario{builtin, ScenarioOrigin::builtin};
    return std::nullopt;
}

}  // namespace tlsfault::proxy
