// Content comparison rather than mtime for the scenario file: an edit within the mtime
// granularity, or a rename that keeps the old mtime, is still seen; the files are at most 4 MiB
// (read_scenario_file refuses bigger ones before reading), so reading them at each poll is cheap.
// The files it names may be up to 16 MiB each, so those are compared by stat (size,
// modification time in nanoseconds, inode: a rename over the old file changes the inode).
#include "scenarios/model/scenario_reloader.hpp"

#include "scenarios/model/scenario_loader.hpp"

#include <sys/stat.h>

#include <algorithm>

namespace tlsfault::scenarios {
namespace {

/// What `file` looks like now, as text to compare; "missing" when it cannot be looked at.
std::string stamp(const std::filesystem::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) return "missing";
    return std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + " " +
           std::to_string(st.st_ino);
}

std::vector<std::string> stamps(const std::vector<std::filesystem::path>& files) {
    std::vector<std::string> out;
    out.reserve(files.size());
    for (const auto& f : files) out.push_back(stamp(f));
    return out;
}

void add_named(std::vector<std::filesystem::path>& out, const std::filesystem::path& file) {
    if (!file.empty() && std::find(out.begin(), out.end(), file) == out.end()) out.push_back(file);
}

}  // namespace

std::vector<std::filesystem::path> files_named_by(const Scenario& scenario) {
    std::vector<std::filesystem::path> out;
    for (const auto& rule : scenario.rules) {
        if (rule.http && rule.http->body_file) add_named(out, rule.http->body_file->path);
        if (rule.chain)
            for (const auto& c : rule.chain->certificates) add_named(out, c.file);
        if (rule.client_cert) add_named(out, rule.client_cert->verify_ca.file);
        if (rule.certificate && rule.certificate->mirror) add_named(out, rule.certificate->mirror->file);
    }
    return out;
}

ScenarioReloader::ScenarioReloader(std::filesystem::path file) : file_(std::move(file)) {
    auto read = read_scenario_file(file_);
    if (!read.text) throw LoadError({Problem{file_.string(), 0, 0, "", read.error}});
    current_ = load_scenario_file_text(*read.text, file_);
    last_text_ = std::move(read.text);
    named_ = files_named_by(*current_);
    last_stamps_ = stamps(named_);
}

ScenarioReloader::PollResult ScenarioReloader::poll() {
    PollResult result;
    auto read = read_scenario_file(file_);  // a regular file of at most 4 MiB: this cannot block
    const auto& text = read.text;
    std::lock_guard lock(mutex_);
    // Stamped before loading: a named file edited while the load reads it is seen at the next poll.
    auto now = stamps(named_);
    // A text that failed to load is tried again at each poll: the file it lacked (a body_file
    // not written yet) is not among the live version's named files, so no stamp would show it.
    const bool retry = text && text == last_text_ && !last_problems_.empty();
    if (text == last_text_ && now == last_stamps_ && !retry) return result;
    last_text_ = text;
    last_stamps_ = std::move(now);
    if (!text) {
        // Editors that write a new file and rename it over the old one leave a moment without
        // it; a deleted file is the same case. Keep the live version until the next good write.
        result.problems.push_back(Problem{file_.string(), 0, 0, "", read.error});
        last_problems_.clear();
        return result;
    }
    return load(*text, retry);
}

ScenarioReloader::PollResult ScenarioReloader::load(const std::string& text, bool retry) {
    PollResult result;
    try {
        current_ = load_scenario_file_text(text, file_);
        result.reloaded = true;
    } catch (const LoadError& e) {
        result.problems = e.problems();
    } catch (const std::exception& e) {
        // The loader reports through LoadError; anything else is still a failed reload, not a crash.
        result.problems.push_back(Problem{file_.string(), 0, 0, "", e.what()});
    }
    std::vector<std::string> lines;
    for (const auto& p : result.problems) lines.push_back(p.to_string());
    const bool same_failure = retry && lines == last_problems_;  // still failing as before: reported once already
    last_problems_ = std::move(lines);
    if (same_failure) result.problems.clear();
    if (result.reloaded) {
        auto named = files_named_by(*current_);
        if (named != named_) {
            named_ = std::move(named);
            last_stamps_ = stamps(named_);
        }
    }
    return result;
}

std::shared_ptr<const Scenario> ScenarioReloader::current() const {
    std::lock_guard lock(mutex_);
    return current_;
}

}  // namespace tlsfault::scenarios
