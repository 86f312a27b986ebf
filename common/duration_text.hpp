// The one duration grammar, for scenario files, command-line options and the control API's
// query parameters: a number (digits, at most one dot) then a unit, ms, s, m or h, with or
// without a space: "300ms", "1.5 s", "2m", "1h". Scenario files require the unit. The command
// line and the API also read a bare number as seconds ("30" = "30s"), as they always have.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace tlsfault {

/// Whether a number without a unit is accepted.
enum class BareNumber {
    rejected,  ///< scenario files: the unit is what makes a file readable
    seconds,   ///< command-line options and API query parameters (documented since the first release)
};

/// "1.5 KB" -> 1.5 and "KB", trimmed. Digits and one dot only: no sign, no exponent.
struct NumberAndUnit {
    double number = 0;
    std::string_view unit;
    bool ok = false;
};
NumberAndUnit split_number_and_unit(std::string_view text);

/// Whole milliseconds, or the message saying what is wrong with `text` (it quotes the text and
/// names the units, e.g. "'300' needs a unit (ms, s, m or h, e.g. 300ms or 5s)").
std::variant<std::chrono::milliseconds, std::string> parse_duration(std::string_view text, BareNumber bare);

/// Command line and API: the duration `text` names, from 0 up to a day, a bare number being
/// seconds; nullopt when malformed or out of range. Callers apply their own bounds (e.g. "positive").
std::optional<std::chrono::milliseconds> parse_duration_text(std::string_view text);

}  // namespace tlsfault
