// `case: sensitive | insensitive` on a pattern: IIS (and so CMG, the management point, Exchange
// Web Services) treats URL paths without regard to case, and a rule that stands in for it must too.
#pragma once

#include "scenarios/model/yaml_reader.hpp"

#include <optional>
#include <string>

namespace tlsfault::scenarios {

/// Reads `sensitive` or `insensitive`; true for insensitive, nullopt (diagnosed) otherwise.
std::optional<bool> read_case_insensitive(const YAML::Node& node, const std::string& path, Diagnostics& diag);

}  // namespace tlsfault::scenarios
