// Hot reload of one scenario file: poll() re-reads it, and looks at the files it names
// (body_file, PEM certificates, a mirrored chain), which are read only when the scenario loads;
// a change in any of them reloads the whole scenario. A valid edit replaces the live scenario,
// an invalid one is reported and the last good version stays live. No threads or timers here:
// the engine calls poll() from its own timer (proxy/scenario/scenario_watcher.hpp).
#pragma once

#include "scenarios/model/load_error.hpp"
#include "scenarios/model/scenario.hpp"

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace tlsfault::scenarios {

class ScenarioReloader {
public:
    /// Loads `file` now; throws LoadError when this first version is invalid or unreadable.
    explicit ScenarioReloader(std::filesystem::path file);

    struct PollResult {
        bool reloaded = false;          ///< a new valid version is live
        std::vector<Problem> problems;  ///< the edit was invalid (or the file unreadable); nothing changed
    };

    /// Re-reads the file; loads it only when its bytes, or the size, modification time or inode
    /// of a file it names, changed since the last poll. Each change
    /// is reported once: an invalid edit, or the file going missing, is not repeated at every
    /// poll, and the next change (a good write) is loaded. Thread-safe.
    PollResult poll();

    /// The live scenario (never null). Thread-safe; hold the pointer for a whole connection.
    std::shared_ptr<const Scenario> current() const;

    const std::filesystem::path& file() const { return file_; }

private:
    /// Loads `text` as the new live version (mutex_ held). On a `retry` of the same text, a
    /// failure identical to the last one comes back without problems: it was reported once.
    PollResult load(const std::string& text, bool retry);

    std::filesystem::path file_;
    mutable std::mutex mutex_;
    std::shared_ptr<const Scenario> current_;
    /// The bytes last looked at, valid or not; nullopt: the file could not be read then.
    std::optional<std::string> last_text_;
    /// The files the live scenario names, and what each looked like when last looked at.
    std::vector<std::filesystem::path> named_;
    std::vector<std::string> last_stamps_;
    /// The problems of the last load that failed, as printed; empty after a good load.
    std::vector<std::string> last_problems_;
};

/// Every file `scenario` names and read when it loaded: body_file, chain and verify_ca PEM
/// files, a mirrored chain. Absolute paths, each once.
std::vector<std::filesystem::path> files_named_by(const Scenario& scenario);

}  // namespace tlsfault::scenarios
