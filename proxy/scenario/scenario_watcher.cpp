// Polling rather than inotify: portable, and it sees every way an editor saves (in place, or a
// new file renamed over the old one, which an inotify watch on the old inode would miss). Reading
// on an io thread cannot block: read_scenario_file opens without waiting (O_NONBLOCK), refuses
// anything but a regular file (a FIFO, /dev/zero) and anything over 4 MiB before reading it.
#include "proxy/scenario/scenario_watcher.hpp"

#include "proxy/events/json_line.hpp"
#include "proxy/scenario/scenario_runtime.hpp"

#include "scenarios/model/scenario_reloader.hpp"

#include <cstdio>

namespace tlsfault::proxy {

ScenarioWatcher::ScenarioWatcher(net::io_context& ioc, ScenarioRuntime& runtime, std::vector<ScenarioFile> files,
                                 std::chrono::milliseconds interval, EventLog& log, ConsoleView& console)
    : timer_(ioc), runtime_(runtime), files_(std::move(files)), interval_(interval), log_(log), console_(console) {}

void ScenarioWatcher::start() {
    if (!files_.empty()) schedule();
}

void ScenarioWatcher::schedule() {
    timer_.expires_after(interval_);
    // Only one wait is ever pending, so polls never overlap; cancellation (shutdown) ends the loop.
    timer_.async_wait([this](const error_code& ec) {
        if (ec) return;
        poll();
        schedule();
    });
}

void ScenarioWatcher::poll() {
    for (const auto& file : files_) {
        auto previous = file.reloader->current();
        auto result = file.reloader->poll();
        if (result.reloaded) {
            try {  // a mirrored chain that cannot be minted keeps the last good version, like a load error
                runtime_.replace(previous.get(), file.reloader->current());
            } catch (const std::exception& e) {
                report_failed(file, {scenarios::Problem{{}, 0, 0, {}, e.what()}});
                continue;
            }
            report_reloaded(file);
        } else if (!result.problems.empty()) {
            report_failed(file, result.problems);
        }
    }
}

void ScenarioWatcher::report_reloaded(const ScenarioFile& file) {
    auto scenario = file.reloader->current();
    // The console line first, here and below: a reader of the event finds it already printed.
    console_.line("  scenario reloaded  " + file.reloader->file().string() + ": " + scenario->name + " (" +
                  std::to_string(scenario->rules.size()) + (scenario->rules.size() == 1 ? " rule)" : " rules)"));
    log_.write(JsonLine(0, "scenario_reloaded")
                   .add("file", file.reloader->file().string())
                   .add("scenario", scenario->name)
                   .add("rules", static_cast<std::uint64_t>(scenario->rules.size())));
}

void ScenarioWatcher::report_failed(const ScenarioFile& file, const std::vector<scenarios::Problem>& problems) {
    std::vector<std::string> all;
    for (const auto& problem : problems) all.push_back(problem.to_string());
    // On stderr whatever --quiet says: the user's edit did not take, and they are waiting for it.
    std::string more = all.size() > 1 ? " (and " + std::to_string(all.size() - 1) + " more problems)" : "";
    std::fprintf(stderr, "tlsfault run: reload failed, keeping the last good version: %s%s\n", all.front().c_str(), more.c_str());
    std::fflush(stderr);
    log_.write(
        JsonLine(0, "scenario_reload_failed").add("file", file.reloader->file().string()).add("error", all.front()).add("problems", all));
}

}  // namespace tlsfault::proxy
