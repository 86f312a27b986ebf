#include "scenarios/model/letter_case.hpp"

namespace tlsfault::scenarios {

std::optional<bool> read_case_insensitive(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    auto text = read_text(node, path, diag);
    if (!text) return std::nullopt;
    if (*text == "insensitive") return true;
    if (*text == "sensitive") return false;
    diag.error(node, path, "expected sensitive or insensitive, got '" + *text + "'");
    return std::nullopt;
}

}  // namespace tlsfault::scenarios
