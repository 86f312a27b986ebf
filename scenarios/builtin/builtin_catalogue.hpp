// The built-in catalogue: the scenarios/catalogue/*.yaml files, embedded at build time, loaded
// and validated like any other scenario file. Also resolves `NAME|FILE` arguments.
#pragma once

#include "scenarios/model/scenario_loader.hpp"

#include "common/embedded_file.hpp"

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tlsfault::scenarios {

/// Every embedded catalogue file ("expired.yaml", ...), sorted by name (generated code).
std::span<const EmbeddedFile> builtin_scenario_files();

/// The label problems in built-in files are reported against: "scenarios/catalogue/NAME.yaml".
std::string builtin_file_label(std::string_view file_name);

/// Every built-in scenario, loaded once, in file-name order. Throws LoadError if one is broken
/// (the catalogue tests make sure none is).
const std::vector<std::shared_ptr<const Scenario>>& builtin_scenarios();

/// The built-in scenario called `name`, or nullptr.
std::shared_ptr<const Scenario> find_builtin_scenario(std::string_view name);

/// The closest built-in name to `name` for a hint, or "".
std::string closest_builtin_scenario(std::string_view name);

/// True when `name_or_file` is taken as a file by resolve_scenario (what `run` watches for edits).
bool names_scenario_file(const std::string& name_or_file);

/// `tlsfault run NAME|FILE`: an existing file, or anything ending in .yaml/.yml, is loaded as a
/// file; otherwise a built-in name ("unknown scenario ...; did you mean ...?" if none). Throws LoadError.
std::shared_ptr<const Scenario> resolve_scenario(const std::string& name_or_file);

/// The display order and headings of `list`: field-case, certificate, tls, network, http, custom.
struct ScenarioGroup {
    std::string_view id;
    std::string_view heading;
};
std::span<const ScenarioGroup> scenario_groups();

}  // namespace tlsfault::scenarios
