// Problems are printed on a terminal (validate, run) and logged: a YAML key or value may hold
// any character, so the printed form escapes control characters (common/safe_text.hpp).
#include "scenarios/model/load_error.hpp"

#include "common/safe_text.hpp"

namespace tlsfault::scenarios {
namespace {

std::string join(const std::vector<Problem>& problems) {
    std::string out;
    for (const auto& p : problems) {
        if (!out.empty()) out += '\n';
        out += p.to_string();
    }
    return out;
}

}  // namespace

std::string Problem::to_string() const {
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
    out += ": ";
    if (!key_path.empty()) out += key_path + ": ";
    // One printable line whatever the file holds: a CR in a key must not overwrite the line.
    return printable(out + message, 4 * logged_field_limit);
}

LoadError::LoadError(std::vector<Problem> problems) : std::runtime_error(join(problems)), problems_(std::move(problems)) {}

}  // namespace tlsfault::scenarios
