#include "scenarios/model/scenario_reloader.hpp"

#include "scenarios/model/scenario_loader.hpp"

#include <fstream>
#include <optional>
#include <sstream>

namespace tlsfault::scenarios {
namespace {

std::optional<std::string> read_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::filesystem::path base_of(const std::filesystem::path& file) {
    std::error_code ec;
    return std::filesystem::absolute(file, ec).parent_path();
}

}  // namespace

ScenarioReloader::ScenarioReloader(std::filesystem::path file) : file_(std::move(file)) {
    auto text = read_text(file_);
    if (!text) throw LoadError({Problem{file_.string(), 0, 0, "", "cannot read the file"}});
    current_ = load_scenario_text(*text, file_.string(), base_of(file_));
    last_text_ = std::move(*text);
}

ScenarioReloader::PollResult ScenarioReloader::poll() {
    PollResult result;
    auto text = read_text(file_);
    std::lock_guard lock(mutex_);
    if (!text) {
        // A file being replaced (editors write a new file and rename it) can be briefly absent:
        // keep the live version and say so.
        result.problems.push_back(Problem{file_.string(), 0, 0, "", "cannot read the file; keeping the last good version"});
        return result;
    }
    if (*text == last_text_) return result;
    last_text_ = *text;
    try {
        current_ = load_scenario_text(*text, file_.string(), base_of(file_));
        result.reloaded = true;
    } catch (const LoadError& e) {
        result.problems = e.problems();
    }
    return result;
}

std::shared_ptr<const Scenario> ScenarioReloader::current() const {
    std::lock_guard lock(mutex_);
    return current_;
}

}  // namespace tlsfault::scenarios
