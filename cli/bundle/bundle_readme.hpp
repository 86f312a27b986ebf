// The bundle's README.md: a human summary of a repro run (what ran with which flags, each
// connection's verdict line, the client messages the scenarios list, how to replay).
#pragma once

#include "cli/bundle/bundle_manifest.hpp"

#include <filesystem>
#include <memory>
#include <cstdint>
#include <string>
#include <vector>

namespace tlsfault::scenarios {
struct Scenario;
}

namespace tlsfault::cli {

struct BundleReadme {
    std::string bundle_name;   ///< the folder's name
    std::string command_line;  ///< "tlsfault run ..." as given
    BundleManifest manifest;
    std::vector<std::shared_ptr<const scenarios::Scenario>> scenarios;  ///< in manifest order
    /// The console line of every connection finished so far.
    std::vector<std::string> verdict_lines;
    bool finished = false;  ///< false while the run is going
};

/// The README.md text.
std::string render_bundle_readme(const BundleReadme& readme);

/// The `summary` (console line) of every `close` event in a growing JSON-lines event log, read
/// incrementally: each read_new() reads only what was appended since the last one, and keeps a
/// trailing partial line for the next. Lines that are not JSON objects are skipped.
class ConnectionLines {
public:
    explicit ConnectionLines(std::filesystem::path events_jsonl) : path_(std::move(events_jsonl)) {}
    /// Appends the close summaries written since the last call to `lines`; true when any was.
    bool read_new(std::vector<std::string>& lines);

private:
    std::filesystem::path path_;
    std::uint64_t offset_ = 0;
    std::string partial_;
};

}  // namespace tlsfault::cli
