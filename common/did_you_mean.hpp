// "Did you mean ...?": the closest known word to a misspelt option, profile, key or value.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace tlsfault {

/// Levenshtein distance between `a` and `b`.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` (case-insensitive), or "" when none is within a third of its
/// length (at least 1, at most 3 edits): beyond that a suggestion is noise.
std::string closest_word(std::string_view word, std::span<const std::string_view> candidates);

/// "; did you mean 'x'?" or "" when nothing is close.
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace tlsfault
