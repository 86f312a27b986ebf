// Quantities with explicit units, as written in scenario files: durations ("300ms", "5s"),
// sizes ("512 bytes", "64KB") and rates ("10 KB/s"). A bare number is rejected: the unit is
// what makes a file readable. KB = 1024 bytes, MB = 1024 KB.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace tlsfault::scenarios {

/// A parsed value, or the message saying what is wrong with the text.
template <typename T>
using Parsed = std::variant<T, std::string>;

/// "250ms", "5s", "1.5 s", "2m", "1h" → milliseconds (whole, not negative).
Parsed<std::chrono::milliseconds> parse_duration(std::string_view text);
/// "100 bytes", "100B", "64KB", "2 MB" → bytes.
Parsed<std::uint64_t> parse_size(std::string_view text);
/// "500 bytes/s", "10KB/s", "1 MB/s" → bytes per second.
Parsed<std::uint64_t> parse_rate(std::string_view text);

/// "300ms", "5s", "2m": the shortest exact spelling, for docs and `explain`.
std::string format_duration(std::chrono::milliseconds d);
/// "512 bytes", "64 KB", "2 MB".
std::string format_size(std::uint64_t bytes);

}  // namespace tlsfault::scenarios
