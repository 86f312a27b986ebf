// What `tlsfault run` does with repro bundles: which of its options a bundle records, how
// `tlsfault run BUNDLE_DIR` turns back into a command line, and the scenarios as the bundle
// writes them.
#pragma once

#include "cli/arg_parser.hpp"
#include "cli/bundle/bundle_writer.hpp"
#include "proxy/core/engine_config.hpp"

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace tlsfault::cli {

/// The options of this run a bundle replays: all but where its records and state go (--bundle,
/// --with-keys, --events, --keylog, --state-dir) and the --proxy-auth password.
std::vector<BundleOption> recorded_options(const ParsedArgs& args, std::span<const OptionSpec> specs);

/// `tlsfault run BUNDLE_DIR [options]` as the run it stands for.
struct ReplayPlan {
    /// The arguments to run with: the replaying command line's options, the recorded options it
    /// does not set, and the bundle's scenario files in their order.
    std::vector<std::string> args;
    /// The bundle folder when it holds its CA keys (the replay serves that CA); empty otherwise.
    std::filesystem::path ca_state_dir;
    /// Banner lines: which bundle, which CA, version differences.
    std::vector<std::string> banner;
};

/// nullopt when no NAME|FILE is a bundle folder. Throws UsageError when a bundle is given with
/// other NAME|FILE arguments, or its manifest is broken (file:line:col).
std::optional<ReplayPlan> plan_replay(const ParsedArgs& args, std::span<const OptionSpec> specs, const std::string& version);

/// `config`'s scenarios with the file each came from (empty for built-in names).
std::vector<BundleScenario> bundle_scenarios(const proxy::EngineConfig& config);

/// "tlsfault run a b 'c d'": the command as typed, for the README (--proxy-auth's value masked).
std::string command_line_text(std::span<const std::string> raw);

/// NAME|FILE|DIR arguments with each folder replaced by its *.yaml/*.yml files, sorted by name.
/// Throws UsageError for a folder without any.
std::vector<std::string> expand_scenario_dirs(const std::vector<std::string>& names);

}  // namespace tlsfault::cli
