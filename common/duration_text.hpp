// Durations as people type them on a command line or in a URL: "500ms", "10s", "2m", or a
// bare number of seconds. Shared by `tlsfault run`'s options and the control API's timeouts.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace tlsfault {

/// The duration `text` names, from 0 up to a day; nullopt when malformed or out of range.
/// Callers apply their own bounds (e.g. "positive").
std::optional<std::chrono::milliseconds> parse_duration_text(std::string_view text);

}  // namespace tlsfault
