// Running real client programs (curl, openssl, python3, gnutls-cli) and tlsfault itself from
// tests: with a deadline, output captured, and children ended by PID, never by name.
#pragma once

#include "common/child_process.hpp"

#include <chrono>
#include <string>
#include <sys/types.h>
#include <vector>

namespace tlsfault::test {

struct ProcessResult {
    int exit_code = -1;  ///< -1 when killed by a signal or by the deadline
    bool timed_out = false;
    std::string out;  ///< stdout
    std::string err;  ///< stderr
    std::string all() const { return out + err; }
};

/// What happens to the child's stdin once `stdin_data` is written.
enum class StdinEnd {
    closed,     ///< closed at once: the child sees EOF
    held_open,  ///< kept open until the child exits: a client that quits on EOF (gnutls-cli) waits for the server instead
};

/// Runs `argv` to completion (or until `deadline`, then SIGKILL), feeding `stdin_data`.
ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds deadline = std::chrono::seconds(30),
                          const std::string& stdin_data = {}, StdinEnd stdin_end = StdinEnd::closed);

/// A child running in the background; its stdout and stderr go to `log_path`. The destructor
/// sends SIGTERM, waits up to 5 s, then SIGKILLs: a failed test never leaves it behind.
using BackgroundProcess = common::BackgroundChild;

/// A fresh empty directory under the system temp dir, removed by the destructor.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

/// The path of the tlsfault binary under test (from the TLSFAULT_BINARY compile definition).
std::string tlsfault_binary();

}  // namespace tlsfault::test
