// The bundle's README.md: a human summary of a repro run (what ran with which flags, each
// connection's verdict line, the client messages the scenarios list, how to replay).
#pragma once

#include "cli/bundle/bundle_manifest.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tlsfault::scenarios {
struct Scenario;
}

namespace tlsfault::cli {

struct BundleReadme {
    std::string bundle_name;  ///< the folder's name
    std::string command_line;  ///< "tlsfault run ..." as given
    BundleManifest manifest;
    std::vector<std::shared_ptr<const scenarios::Scenario>> scenarios;  ///< in manifest order
    /// The console line of every finished connection; nullopt while the run is still going.
    std::optional<std::vector<std::string>> verdict_lines;
};

/// The README.md text.
std::string render_bundle_readme(const BundleReadme& readme);

/// The `summary` (console line) of every `close` event in a JSON-lines event log, in order.
/// Lines that are not whole JSON objects (a run killed mid-write) are skipped.
std::vector<std::string> connection_lines(const std::filesystem::path& events_jsonl);

}  // namespace tlsfault::cli
