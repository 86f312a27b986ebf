#include "common/did_you_mean.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace tlsfault {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

std::string closest_word(std::string_view word, std::span<const std::string_view> candidates) {
    const std::string w = lower(word);
    const std::size_t limit = std::clamp<std::size_t>(w.size() / 3, 1, 3);
    std::string best;
    std::size_t best_distance = limit + 1;
    for (auto candidate : candidates) {
        std::size_t d = edit_distance(w, lower(candidate));
        if (d < best_distance) {
            best_distance = d;
            best = std::string(candidate);
        }
    }
    return best;
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
    std::string best = closest_word(word, candidates);
    return best.empty() ? std::string() : "; did you mean '" + best + "'?";
}

}  // namespace tlsfault
