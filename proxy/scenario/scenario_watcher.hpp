// Reloading the scenario files `tlsfault run` was given, on the engine's io_context: a
// steady_timer polls each file (ScenarioReloader compares its bytes); a valid edit goes live for
// new connections and is logged as `scenario_reloaded`, an invalid one as
// `scenario_reload_failed` plus one line on stderr, the last good version staying live.
#pragma once

#include "proxy/core/engine_config.hpp"
#include "proxy/events/console_view.hpp"
#include "proxy/events/event_log.hpp"
#include "proxy/core/net.hpp"

#include "scenarios/model/load_error.hpp"

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <vector>

namespace tlsfault::proxy {

class ScenarioRuntime;

class ScenarioWatcher {
public:
    /// Polls `files` every `interval` once started; edits go into `runtime`.
    ScenarioWatcher(net::io_context& ioc, ScenarioRuntime& runtime, std::vector<ScenarioFile> files, std::chrono::milliseconds interval,
                    EventLog& log, ConsoleView& console);

    /// Arms the timer; polling then runs on the io_context's threads, one poll at a time.
    void start();

    /// Checks every file once now: what each tick does. Never throws.
    void poll();

private:
    void schedule();
    void report_reloaded(const ScenarioFile& file);
    void report_failed(const ScenarioFile& file, const std::vector<scenarios::Problem>& problems);

    net::steady_timer timer_;
    ScenarioRuntime& runtime_;
    std::vector<ScenarioFile> files_;
    std::chrono::milliseconds interval_;
    EventLog& log_;
    ConsoleView& console_;
};

}  // namespace tlsfault::proxy
