// `tlsfault run --bundle DIR [--with-keys]`: one self-contained repro folder, kept consistent while
// the run goes (every file written whole: temp + rename; the two logs grow one whole line at a
// time) and packed as DIR.tar.gz when the run stops. docs/bundle.md describes the layout.
#pragma once

#include "cli/bundle/bundle_manifest.hpp"
#include "cli/bundle/bundle_readme.hpp"

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>
#include <string>
#include <vector>

namespace tlsfault::certgen {
class CaStore;
}

namespace tlsfault::cli {

/// One scenario as run: the loaded scenario and, for a FILE, where it came from.
struct BundleScenario {
    std::shared_ptr<const scenarios::Scenario> scenario;
    std::filesystem::path source_file;  ///< empty: a built-in name, written out from the catalogue
};

class BundleWriter {
public:
    /// Creates `dir` (and its parents). Throws UsageError when `dir` exists and is not an empty
    /// folder: a bundle never mixes two runs.
    BundleWriter(std::filesystem::path dir, bool with_keys);
    /// Removes the folder again when start() never ran (the engine could not start): no
    /// half-written bundle is left behind.
    ~BundleWriter();
    BundleWriter(const BundleWriter&) = delete;
    BundleWriter& operator=(const BundleWriter&) = delete;

    /// Where the engine writes its copies of the event log and the key log.
    std::filesystem::path events_path() const { return dir_ / "events.jsonl"; }
    std::filesystem::path keylog_path() const { return dir_ / "keylog.txt"; }

    /// Writes scenarios/, ca/ (keys only with --with-keys), bundle.json, replay.sh and a README.md
    /// that says the run is going, then rewrites README.md every `refresh` while connections
    /// finish (on a thread of its own: never on the traffic path). Throws std::runtime_error
    /// naming a file it cannot write.
    void start(const std::vector<BundleScenario>& scenarios, const certgen::CaStore& cas, std::vector<BundleOption> options,
               std::string command_line, std::string version, std::chrono::milliseconds refresh = std::chrono::seconds(3));

    /// Stops the refreshing, rewrites README.md with every connection's verdict line, then packs DIR.tar.gz (with
    /// `tar`, into a temp file renamed when whole). Returns the archive's path; throws
    /// std::runtime_error when tar fails (the folder itself is complete by then).
    std::filesystem::path finish();

private:
    std::string write_scenario(std::size_t index, const BundleScenario& s);
    void write_ca(const certgen::CaStore& cas);
    void refresh_readme(std::stop_token stop, std::chrono::milliseconds every);

    std::filesystem::path dir_;
    bool with_keys_;
    bool started_ = false;
    BundleReadme readme_;  ///< the refresher's while it runs; finish() joins it first
    ConnectionLines connection_lines_;
    std::jthread refresher_;
};

/// Packs folder `dir` as `archive` (a .tar.gz whose top entry is the folder's name) by running
/// `tar`; the archive appears whole or not at all. Throws std::runtime_error when tar fails.
void write_tar_gz(const std::filesystem::path& dir, const std::filesystem::path& archive);

}  // namespace tlsfault::cli
