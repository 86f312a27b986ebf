// Escaping for terminals. One function serves every console line and every load error message,
// so a newline, carriage return or ESC from a client's SNI or a YAML key cannot start a new
// line, overwrite one, or drive the terminal.
#include "common/safe_text.hpp"

#include <cstdio>

namespace tlsfault {
namespace {

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

void append_hex_escape(std::string& out, unsigned char c) {
    char esc[5];
    std::snprintf(esc, sizeof esc, "\\x%02x", c);
    out += esc;
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80) return 1;
    std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (lead < 0xC2 || lead > 0xF4 || at + length > text.size()) return 0;
    for (std::size_t i = 1; i < length; ++i)
        if (!continuation(byte(i))) return 0;
    // Overlong 3- and 4-byte forms, UTF-16 surrogates and code points past U+10FFFF.
    if (lead == 0xE0 && byte(1) < 0xA0) return 0;
    if (lead == 0xED && byte(1) >= 0xA0) return 0;
    if (lead == 0xF0 && byte(1) < 0x90) return 0;
    if (lead == 0xF4 && byte(1) >= 0x90) return 0;
    return length;
}

std::string_view cut_to_limit(std::string_view text, std::size_t limit, std::string& suffix) {
    suffix.clear();
    if (text.size() <= limit) return text;
    suffix = "\xe2\x80\xa6(" + std::to_string(text.size()) + " bytes)";  // "…(N bytes)"
    return text.substr(0, limit);
}

std::string printable(std::string_view text, std::size_t limit) {
    std::string suffix;
    const std::string_view kept = cut_to_limit(text, limit, suffix);
    std::string out;
    out.reserve(kept.size() + suffix.size());
    for (std::size_t at = 0; at < kept.size();) {
        const auto c = static_cast<unsigned char>(kept[at]);
        const std::size_t length = utf8_sequence_length(kept, at);
        // C1 controls (U+0080-U+009F) are 0xC2 0x80-0x9F in UTF-8; some terminals obey them.
        const bool c1 = length == 2 && c == 0xC2 && static_cast<unsigned char>(kept[at + 1]) < 0xA0;
        if (length == 0 || c < 0x20 || c == 0x7F || c1) {
            const std::size_t n = c1 ? 2 : 1;
            for (std::size_t i = 0; i < n; ++i) append_hex_escape(out, static_cast<unsigned char>(kept[at + i]));
            at += n;
            continue;
        }
        out.append(kept.substr(at, length));
        at += length;
    }
    return out + suffix;
}

}  // namespace tlsfault
