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

bool match_from(std::string_view p, std::size_t pi, std::string_view t, std::size_t ti, bool ci) {
    while (pi < p.size()) {
        char pc = p[pi];
        if (pc == '*') {
            while (pi < p.size() && p[pi] == '*') ++pi;
            if (pi == p.size()) return true;
            for (std::size_t k = ti; k <= t.size(); ++k)
                if (match_from(p, pi, t, k, ci)) return true;
            return false;
        }
        if (ti == t.size()) return false;
        if (pc == '?') {
            ++pi;
        } else if (pc == '[') {
            std::size_t next = 0;
            if (!class_matches(p, pi + 1, t[ti], ci, next)) return false;
            pi = next;
        } else {
            if (pc == '\\') pc = p[++pi];
            if (fold(pc, ci) != fold(t[ti], ci)) return false;
            ++pi;
        }
        ++ti;
    }
    return ti == t.size();
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

bool Glob::matches(std::string_view text) const { return match_from(pattern_, 0, text, 0, case_insensitive_); }

}  // namespace tlsfault::scenarios
