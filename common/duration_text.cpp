// One unit suffix, one integer: nothing fancier is needed for timeouts.
#include "common/duration_text.hpp"

#include <charconv>

namespace tlsfault {

std::optional<std::chrono::milliseconds> parse_duration_text(std::string_view t) {
    long scale = 1000;
    if (t.ends_with("ms")) scale = 1, t.remove_suffix(2);
    else if (t.ends_with("s")) scale = 1000, t.remove_suffix(1);
    else if (t.ends_with("m")) scale = 60'000, t.remove_suffix(1);
    long value = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    if (t.empty() || ec != std::errc{} || end != t.data() + t.size() || value < 0 || value > 86'400'000 / scale) return std::nullopt;
    return std::chrono::milliseconds(value * scale);
}

}  // namespace tlsfault
