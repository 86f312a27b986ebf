// bundle.json: what a repro bundle ran (scenario files, the flags that shape behaviour, whether
// the CA keys are in it), written by `tlsfault run --bundle DIR` and read by `tlsfault run DIR`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tlsfault::cli {

/// The manifest's file name inside a bundle folder; its presence makes a folder a bundle.
inline constexpr const char* bundle_manifest_name = "bundle.json";

/// One command-line option of the recorded run: `--name value`, or a flag (`--quiet`).
struct BundleOption {
    std::string name;
    std::optional<std::string> value;  ///< nullopt for a flag
};

struct BundleManifest {
    std::string tlsfault_version;
    std::string created;                      ///< UTC, "2026-12-03T09:44:10.123Z"
    std::vector<std::string> scenario_files;  ///< relative to the bundle folder, in run order
    std::vector<BundleOption> options;        ///< replayed unless the replaying command line sets them
    bool ca_keys = false;                     ///< ca/*.key present (--with-keys)
};

/// The manifest as pretty JSON.
std::string to_json(const BundleManifest& manifest);

/// True when `dir` is a folder holding bundle.json.
bool is_bundle_dir(const std::filesystem::path& dir);

/// Reads `dir`/bundle.json. Throws UsageError as "DIR/bundle.json:line:col: key: message" when it
/// is unreadable, malformed, or names a scenario file outside the bundle or missing from it.
BundleManifest read_bundle_manifest(const std::filesystem::path& dir);

}  // namespace tlsfault::cli
