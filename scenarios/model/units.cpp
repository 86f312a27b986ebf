#include "scenarios/model/units.hpp"

#include "common/duration_text.hpp"

#include <cctype>
#include <cstdlib>
#include <cmath>
#include <utility>

namespace tlsfault::scenarios {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

constexpr std::pair<std::string_view, double> size_units[] = {{"bytes", 1}, {"byte", 1}, {"B", 1}, {"KB", 1024}, {"MB", 1024 * 1024}};

template <std::size_t N>
Parsed<std::uint64_t> scaled(std::string_view text, const std::pair<std::string_view, double> (&units)[N], std::string_view expected) {
    auto parts = split_number_and_unit(text);
    if (!parts.ok) return "expected a number with a unit (" + std::string(expected) + "), got '" + std::string(text) + "'";
    if (parts.unit.empty()) return "'" + std::string(trim(text)) + "' needs a unit (" + std::string(expected) + ")";
    for (auto [name, factor] : units) {
        if (parts.unit == name) {
            double value = std::round(parts.number * factor);
            if (value > 9.0e15) return "'" + std::string(trim(text)) + "' is too large";
            return static_cast<std::uint64_t>(value);
        }
    }
    return "unknown unit '" + std::string(parts.unit) + "' in '" + std::string(trim(text)) + "' (use " + std::string(expected) + ")";
}

}  // namespace

Parsed<std::chrono::milliseconds> parse_duration(std::string_view text) {
    return tlsfault::parse_duration(text, BareNumber::rejected);  // the grammar the command line shares
}

Parsed<std::uint64_t> parse_size(std::string_view text) { return scaled(text, size_units, "bytes, KB or MB, e.g. 512 bytes or 64KB"); }

Parsed<std::uint64_t> parse_rate(std::string_view text) {
    std::string_view t = trim(text);
    if (t.size() < 2 || t.substr(t.size() - 2) != "/s")
        return "'" + std::string(t) + "' needs a rate unit (bytes/s, KB/s or MB/s, e.g. 10KB/s)";
    return scaled(t.substr(0, t.size() - 2), size_units, "bytes/s, KB/s or MB/s, e.g. 10KB/s");
}

std::string format_duration(std::chrono::milliseconds d) {
    auto ms = d.count();
    if (ms != 0 && ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
    if (ms != 0 && ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
    return std::to_string(ms) + "ms";
}

std::string format_size(std::uint64_t bytes) {
    if (bytes != 0 && bytes % (1024 * 1024) == 0) return std::to_string(bytes / (1024 * 1024)) + " MB";
    if (bytes != 0 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KB";
    return std::to_string(bytes) + " bytes";
}

}  // namespace tlsfault::scenarios
