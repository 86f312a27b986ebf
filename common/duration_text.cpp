// One parser behind every duration a user types (see duration_text.hpp for the grammar).
#include "common/duration_text.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <utility>

namespace tlsfault {
namespace {

constexpr std::string_view expected_units = "ms, s, m or h, e.g. 300ms or 5s";
constexpr std::pair<std::string_view, double> duration_units[] = {{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}};
constexpr double largest_ms = 9.0e15;  // well inside both double's exact integers and int64 milliseconds
constexpr std::chrono::milliseconds a_day{86'400'000};

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

}  // namespace

NumberAndUnit split_number_and_unit(std::string_view text) {
    text = trim(text);
    std::size_t i = 0;
    bool dot = false;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || (text[i] == '.' && !dot))) {
        dot = dot || text[i] == '.';
        ++i;
    }
    NumberAndUnit out;
    if (i == 0) return out;
    std::string digits(text.substr(0, i));
    char* end = nullptr;
    out.number = std::strtod(digits.c_str(), &end);
    out.ok = end == digits.c_str() + digits.size();
    out.unit = trim(text.substr(i));
    return out;
}

std::variant<std::chrono::milliseconds, std::string> parse_duration(std::string_view text, BareNumber bare) {
    const std::string quoted = "'" + std::string(trim(text)) + "'";
    auto parts = split_number_and_unit(text);
    if (!parts.ok) return "expected a number with a unit (" + std::string(expected_units) + "), got '" + std::string(text) + "'";
    if (parts.unit.empty() && bare == BareNumber::rejected) return quoted + " needs a unit (" + std::string(expected_units) + ")";
    double factor = parts.unit.empty() ? 1000 : 0;
    for (auto [name, f] : duration_units)
        if (parts.unit == name) factor = f;
    if (factor == 0) return "unknown unit '" + std::string(parts.unit) + "' in " + quoted + " (use " + std::string(expected_units) + ")";
    const double ms = std::round(parts.number * factor);
    if (ms > largest_ms) return quoted + " is too large";
    return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

std::optional<std::chrono::milliseconds> parse_duration_text(std::string_view text) {
    auto parsed = parse_duration(text, BareNumber::seconds);
    const auto* ms = std::get_if<std::chrono::milliseconds>(&parsed);
    if (!ms || *ms > a_day) return std::nullopt;
    return *ms;
}

}  // namespace tlsfault
