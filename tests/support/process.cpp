// The test helpers over common/child_process (the one process runner tlsfault itself uses for
// `tlsfault check`), plus temporary directories.
#include "tests/support/process.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <unistd.h>

namespace tlsfault::test {

ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds deadline, const std::string& stdin_data,
                          StdinEnd stdin_end) {
    auto child = common::run_child(
        {.argv = argv, .deadline = deadline, .stdin_data = stdin_data, .hold_stdin_open = stdin_end == StdinEnd::held_open});
    return {.exit_code = child.exit_code, .timed_out = child.timed_out, .out = std::move(child.out), .err = std::move(child.err)};
}

TempDir::TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "tlsfault-test-XXXXXX").string();
    if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
    path_ = templ;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string tlsfault_binary() { return TLSFAULT_BINARY; }

}  // namespace tlsfault::test
