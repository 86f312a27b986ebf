// Running other programs: to completion with a deadline and captured output (a client under
// `tlsfault check`, a tool in a test), or in the background until stopped (an engine). Each
// child runs in its own process group, so a deadline ends it and whatever it started, by PID.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace tlsfault::common {

/// What to run and how.
struct ChildSpec {
    std::vector<std::string> argv;  ///< argv[0] is looked up on PATH
    std::chrono::milliseconds deadline = std::chrono::seconds(30);
    std::string stdin_data;  ///< written to the child's stdin, which is then closed
    /// Keep stdin open once written, until the child exits: a client that quits on EOF
    /// (gnutls-cli) then waits for the server instead.
    bool hold_stdin_open = false;
    std::vector<std::pair<std::string, std::string>> env;  ///< added to (or replacing in) our environment
    std::size_t output_cap = 16 * 1024 * 1024;             ///< bytes kept per stream; the rest is read and dropped
};

/// How it ended.
struct ChildResult {
    int exit_code = -1;      ///< -1 when killed by a signal or by the deadline, or not started
    int signal = 0;          ///< the signal that ended it (SIGKILL after a deadline)
    bool timed_out = false;  ///< the deadline passed: the process group was sent SIGKILL
    bool started = true;     ///< false: it could not be run at all (`err` says why)
    std::string out;         ///< stdout
    std::string err;         ///< stderr
};

/// Runs `spec` to completion (or until its deadline, then SIGKILL to its process group).
ChildResult run_child(const ChildSpec& spec);

/// A child running in the background, its stdout and stderr appended to `log_path`. The
/// destructor stops it: SIGTERM, up to 5 s, then SIGKILL — it never outlives its owner.
class BackgroundChild {
public:
    /// Throws std::runtime_error when it cannot be started.
    BackgroundChild(const std::vector<std::string>& argv, const std::string& log_path);
    ~BackgroundChild();
    BackgroundChild(const BackgroundChild&) = delete;
    BackgroundChild& operator=(const BackgroundChild&) = delete;

    pid_t pid() const { return pid_; }
    bool running();
    /// SIGTERM then wait (SIGKILL after `grace`); the exit code, -1 if ended by a signal.
    int stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

private:
    pid_t pid_ = -1;
    int status_ = 0;
    bool reaped_ = false;
};

}  // namespace tlsfault::common
