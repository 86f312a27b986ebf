// Content comparison rather than mtime: an edit within the mtime granularity, or a rename that
// keeps the old mtime, is still seen; the files are at most 4 MiB (read_scenario_file refuses
// bigger ones before reading), so reading them at each poll is cheap.
#include "scenarios/model/scenario_reloader.hpp"

#include "scenarios/model/scenario_loader.hpp"

namespace tlsfault::scenarios {

ScenarioReloader::ScenarioReloader(std::filesystem::path file) : file_(std::move(file)) {
    auto read = read_scenario_file(file_);
    if (!read.text) throw LoadError({Problem{file_.string(), 0, 0, "", read.error}});
    current_ = load_scenario_file_text(*read.text, file_);
    last_text_ = std::move(read.text);
}

ScenarioReloader::PollResult ScenarioReloader::poll() {
    PollResult result;
    auto read = read_scenario_file(file_);  // a regular file of at most 4 MiB: this cannot block
    const auto& text = read.text;
    std::lock_guard lock(mutex_);
    if (text == last_text_) return result;
    last_text_ = text;
    if (!text) {
        // Editors that write a new file and rename it over the old one leave a moment without
        // it; a deleted file is the same case. Keep the live version until the next good write.
        result.problems.push_back(Problem{file_.string(), 0, 0, "", read.error});
        return result;
    }
    try {
        current_ = load_scenario_file_text(*text, file_);
        result.reloaded = true;
    } catch (const LoadError& e) {
        result.problems = e.problems();
    } catch (const std::exception& e) {
        // The loader reports through LoadError; anything else is still a failed reload, not a crash.
        result.problems.push_back(Problem{file_.string(), 0, 0, "", e.what()});
    }
    return result;
}

std::shared_ptr<const Scenario> ScenarioReloader::current() const {
    std::lock_guard lock(mutex_);
    return current_;
}

}  // namespace tlsfault::scenarios
