// Text that came from a client or a file, made safe to show: on a terminal (no control
// characters or escape sequences, so a client cannot forge or overwrite a console line) and in
// the JSON event log (always valid UTF-8), each cut to a length limit that says it was cut.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tlsfault {

/// Longest value of one logged or printed field, in bytes (before escaping); see docs/reliability-limits.md.
inline constexpr std::size_t logged_field_limit = 1024;

/// The length of the valid UTF-8 sequence (1-4 bytes, shortest form, no surrogates) that starts
/// at `text[at]`; 0 when the byte there does not start one.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

/// `text` cut to `limit` bytes, with "…(N bytes)" appended (N: the full length) when it was
/// longer; unchanged otherwise.
std::string_view cut_to_limit(std::string_view text, std::size_t limit, std::string& suffix);

/// `text` for a terminal line: control characters (C0, DEL, C1) and bytes that are not valid
/// UTF-8 become \xNN, valid UTF-8 is kept; cut to `limit` bytes as cut_to_limit says.
std::string printable(std::string_view text, std::size_t limit = logged_field_limit);

}  // namespace tlsfault
