// Load-time problems with a scenario file: every problem found, each with its location, so a
// user fixes a file in one pass. Printed as `file:line:col: key.path: message`.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace tlsfault::scenarios {

/// One problem in one file. `line` and `column` are 1-based (0: unknown, e.g. a missing file).
struct Problem {
    std::string file;
    int line = 0;
    int column = 0;
    std::string key_path;  ///< e.g. "rules[2].tls.alert"; empty for YAML syntax errors
    std::string message;

    /// `file:line:col: key.path: message` (parts that are unknown are left out), on one line:
    /// control characters escaped as \xNN, cut at 4 KiB (common/safe_text.hpp).
    std::string to_string() const;
};

/// Thrown by the loader with every problem it found; `what()` is one problem per line.
class LoadError : public std::runtime_error {
public:
    explicit LoadError(std::vector<Problem> problems);
    const std::vector<Problem>& problems() const { return problems_; }

private:
    std::vector<Problem> problems_;
};

}  // namespace tlsfault::scenarios
