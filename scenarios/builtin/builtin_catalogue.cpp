#include "scenarios/builtin/builtin_catalogue.hpp"

#include "common/did_you_mean.hpp"

#include <filesystem>

namespace tlsfault::scenarios {
namespace {

constexpr ScenarioGroup groups[] = {
    {"field-case", "Field cases"}, {"certificate", "Certificates"}, {"tls", "TLS"}, {"network", "Network"}, {"http", "HTTP"},
    {"custom", "Other"},
};

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string builtin_file_label(std::string_view file_name) { return "scenarios/catalogue/" + std::string(file_name); }

const std::vector<std::shared_ptr<const Scenario>>& builtin_scenarios() {
    static const std::vector<std::shared_ptr<const Scenario>> all = [] {
        std::vector<std::shared_ptr<const Scenario>> out;
        std::vector<Problem> problems;
        for (const auto& file : builtin_scenario_files()) {
            try {
                out.push_back(load_scenario_text(file.bytes, builtin_file_label(file.file_name)));
            } catch (const LoadError& e) {
                problems.insert(problems.end(), e.problems().begin(), e.problems().end());
            }
        }
        if (!problems.empty()) throw LoadError(problems);
        return out;
    }();
    return all;
}

std::shared_ptr<const Scenario> find_builtin_scenario(std::string_view name) {
    for (const auto& s : builtin_scenarios())
        if (s->name == name) return s;
    return nullptr;
}

std::string closest_builtin_scenario(std::string_view name) {
    std::vector<std::string_view> names;
    for (const auto& s : builtin_scenarios()) names.push_back(s->name);
    return closest_word(name, names);
}

bool names_scenario_file(const std::string& name_or_file) {
    std::error_code ec;
    return std::filesystem::exists(name_or_file, ec) || ends_with(name_or_file, ".yaml") || ends_with(name_or_file, ".yml") ||
           name_or_file.find('/') != std::string::npos;
}

std::shared_ptr<const Scenario> resolve_scenario(const std::string& name_or_file) {
    if (names_scenario_file(name_or_file)) return load_scenario_file(name_or_file);
    if (auto s = find_builtin_scenario(name_or_file)) return s;
    Problem p;
    p.file = name_or_file;
    std::string best = closest_builtin_scenario(name_or_file);
    p.message = "no such scenario file or built-in scenario" +
                (best.empty() ? std::string(" (tlsfault list shows them)") : "; did you mean '" + best + "'?");
    throw LoadError({p});
}

std::span<const ScenarioGroup> scenario_groups() { return groups; }

}  // namespace tlsfault::scenarios
