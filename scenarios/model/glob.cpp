#include "scenarios/model/glob.hpp"

#include <cctype>

namespace tlsfault::scenarios {
namespace {

char fold(char c, bool ci) { return ci ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c; }

// Matches the class starting after '[' at p[i]; sets `next` past the ']'.
bool class_matches(std::string_view p, std::size_t i, char c, bool ci, std::size_t& next) {
    bool negate = i < p.size() && (p[i] == '!' || p[i] == '^');
    if (negate) ++i;
    bool found = false;
    bool first = true;
    for (; i < p.size() && (p[i] != ']' || first); first = false) {
        char lo = p[i] == '\\' ? p[++i] : p[i];
        ++i;
        char hi = lo;
        if (i + 1 < p.size() && p[i] == '-' && p[i + 1] != ']') {
            hi = p[i + 1] == '\\' ? p[i + 2] : p[i + 1];
            i += p[i + 1] == '\\' ? 3 : 2;
        }
        if (fold(c, ci) >= fold(lo, ci) && fold(c, ci) <= fold(hi, ci)) found = true;
    }
    next = i + 1;
    return found != negate;
}

// One pattern token (a literal, `\x`, `?` or a `[...]` class) at p[pi] against `c`; sets `next`
// past the token.
bool token_matches(std::string_view p, std::size_t pi, char c, bool ci, std::size_t& next) {
    char pc = p[pi];
    if (pc == '?') {
        next = pi + 1;
        return true;
    }
    if (pc == '[') return class_matches(p, pi + 1, c, ci, next);
    if (pc == '\\') pc = p[++pi];
    next = pi + 1;
    return fold(pc, ci) == fold(c, ci);
}

// Iterative, remembering only the last `*`: since `*` matches any run of characters, retrying
// from the last star alone is enough. O(pattern x text) time and constant stack whatever the
// pattern, so a client's 60 KB path cannot pin a thread (the recursive version was exponential
// in the number of stars).
bool match_glob(std::string_view p, std::string_view t, bool ci) {
    constexpr std::size_t none = std::string_view::npos;
    std::size_t pi = 0, ti = 0, star_pi = none, star_ti = 0;
    while (ti < t.size()) {
        if (pi < p.size() && p[pi] == '*') {
            while (pi < p.size() && p[pi] == '*') ++pi;
            star_pi = pi;
            star_ti = ti;
            continue;
        }
        std::size_t next = 0;
        if (pi < p.size() && token_matches(p, pi, t[ti], ci, next)) {
            pi = next;
            ++ti;
            continue;
        }
        if (star_pi == none) return false;
        pi = star_pi;  // let the last star take one more character
        ti = ++star_ti;
    }
    while (pi < p.size() && p[pi] == '*') ++pi;
    return pi == p.size();
}

}  // namespace

std::optional<Glob> Glob::compile(std::string_view pattern, bool case_insensitive, std::string& error) {
    Glob g;
    g.pattern_ = std::string(pattern);
    g.case_insensitive_ = case_insensitive;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        char c = pattern[i];
        if (c == '\\') {
            if (i + 1 == pattern.size()) {
                error = "bad pattern '" + g.pattern_ + "': '\\' at the end escapes nothing";
                return std::nullopt;
            }
            g.literal_text_ += pattern[++i];
        } else if (c == '*' || c == '?') {
            g.literal_ = false;
        } else if (c == '[') {
            g.literal_ = false;
            std::size_t j = i + 1;
            if (j < pattern.size() && (pattern[j] == '!' || pattern[j] == '^')) ++j;
            if (j < pattern.size() && pattern[j] == ']') ++j;  // a leading ']' is literal
            while (j < pattern.size() && pattern[j] != ']') j += pattern[j] == '\\' ? 2 : 1;
            if (j >= pattern.size()) {
                error = "bad pattern '" + g.pattern_ + "': '[' at column " + std::to_string(i + 1) + " is never closed";
                return std::nullopt;
            }
            i = j;
        } else if (c == ']') {
            error = "bad pattern '" + g.pattern_ + "': ']' without '['";
            return std::nullopt;
        } else {
            g.literal_text_ += c;
        }
    }
    return g;
}

bool Glob::matches(std::string_view text) const { return match_glob(pattern_, text, case_insensitive_); }

}  // namespace tlsfault::scenarios
