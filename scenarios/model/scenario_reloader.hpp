// Hot reload of one scenario file: poll() re-reads it; a valid edit replaces the live scenario,
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

    /// Re-reads the file; loads it only when its bytes changed since the last poll. Each change
    /// is reported once: an invalid edit, or the file going missing, is not repeated at every
    /// poll, and the next change (a good write) is loaded. Thread-safe.
    PollResult poll();

    /// The live scenario (never null). Thread-safe; hold the pointer for a whole connection.
    std::shared_ptr<const Scenario> current() const;

    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_;
    mutable std::mutex mutex_;
    std::shared_ptr<const Scenario> current_;
    /// The bytes last looked at, valid or not; nullopt: the file could not be read then.
    std::optional<std::string> last_text_;
};

}  // namespace tlsfault::scenarios
