// Which catalogue scenarios `tlsfault check` runs (--scenario, --group, --all), each with its
// target and expectation, and the checks on the client command's placeholders.
#pragma once

#include "cli/check/check_types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace tlsfault::cli::check {

/// The scenarios named, in the order given; or the group's, or all, in catalogue order.
/// Throws UsageError for an unknown name or group (with a did-you-mean).
std::vector<CheckScenario> select_scenarios(const std::vector<std::string>& names, const std::optional<std::string>& group, bool all);

/// Throws UsageError when an argument has a `{word}` close to a placeholder but not one
/// ("{cae}": did you mean {ca}?). Other braces (curl's `%{http_code}`) are left alone.
void check_placeholders(const std::vector<std::string>& command);

}  // namespace tlsfault::cli::check
