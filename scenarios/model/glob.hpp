// Shell-style patterns for host names, paths, queries and header values: `*` (any run of
// characters, dots and slashes included), `?` (one character), `[abc]`, `[a-z]`, `[!abc]`, and
// `\` to take the next character literally.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tlsfault::scenarios {

/// A validated glob. Host globs compare case-insensitively (DNS names are), others exactly.
class Glob {
public:
    /// The glob for `pattern`, or the reason it is malformed in `error`.
    static std::optional<Glob> compile(std::string_view pattern, bool case_insensitive, std::string& error);

    bool matches(std::string_view text) const;
    const std::string& pattern() const { return pattern_; }
    /// True when the pattern has no wildcard: it names exactly one string.
    bool is_literal() const { return literal_; }
    /// The pattern with escapes removed (meaningful when is_literal()).
    const std::string& literal_text() const { return literal_text_; }

private:
    std::string pattern_;
    bool case_insensitive_ = false;
    bool literal_ = true;
    std::string literal_text_;
};

}  // namespace tlsfault::scenarios
