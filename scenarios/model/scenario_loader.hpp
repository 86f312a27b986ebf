// Reading scenario files: YAML text in, a validated immutable Scenario out, or a LoadError
// listing every problem as `file:line:col: key.path: message`.
#pragma once

#include "scenarios/model/load_error.hpp"
#include "scenarios/model/scenario.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tlsfault::scenarios {

/// Loads and validates the file at `path`. Relative file references inside it (body_file,
/// chain certificates) resolve against its directory. Throws LoadError.
std::shared_ptr<const Scenario> load_scenario_file(const std::filesystem::path& path);

/// The largest scenario file read; a bigger one is refused before it is read.
inline constexpr std::uintmax_t max_scenario_file_bytes = 4 * 1024 * 1024;

/// What reading a scenario file gave: its bytes, or why not (one line, without the path).
struct ScenarioFileText {
    std::optional<std::string> text;
    std::string error;  ///< "cannot read the file", "not a regular file (a FIFO); ...", "the file is N bytes; ..."
};

/// Reads the file at `path`: only a regular file of at most max_scenario_file_bytes, so the
/// read cannot block (a FIFO, a device such as /dev/zero) or exhaust memory. Never throws.
ScenarioFileText read_scenario_file(const std::filesystem::path& path);

/// load_scenario_file for text already read from `path` (labelled with it, relative references
/// resolved against its directory). Throws LoadError.
std::shared_ptr<const Scenario> load_scenario_file_text(std::string_view text, const std::filesystem::path& path);

/// Validates `text`, reporting problems against `file_label`. With an empty `base_dir` the
/// scenario may not reference files (the built-in catalogue). Throws LoadError.
std::shared_ptr<const Scenario> load_scenario_text(std::string_view text, const std::string& file_label,
                                                   const std::filesystem::path& base_dir = {});

}  // namespace tlsfault::scenarios
