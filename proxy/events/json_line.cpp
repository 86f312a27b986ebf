// JSON line building and string escaping (RFC 8259: quote, backslash and control characters),
// always valid UTF-8 whatever bytes a client sent, each value cut to logged_field_limit.
#include "proxy/events/json_line.hpp"

#include "common/safe_text.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace tlsfault::proxy {

namespace {

void append_unicode_escape(std::string& out, unsigned char c) {
    char esc[7];
    std::snprintf(esc, sizeof esc, "\\u%04x", c);
    out += esc;
}

/// `value` cut to the logged-field limit, with its "…(N bytes)" suffix when it was cut.
std::string_view capped(std::string_view value, std::string& suffix) { return cut_to_limit(value, logged_field_limit, suffix); }

}  // namespace

/// Printable ASCII that JSON takes as it is: appended in runs, not byte by byte.
bool plain_json_byte(unsigned char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; }

void append_json_string(std::string& out, std::string_view text) {
    out += '"';
    for (std::size_t at = 0; at < text.size();) {
        std::size_t run = at;
        while (run < text.size() && plain_json_byte(static_cast<unsigned char>(text[run]))) ++run;
        if (run > at) {
            out.append(text.substr(at, run - at));
            at = run;
            continue;
        }
        const auto c = static_cast<unsigned char>(text[at]);
        const std::size_t length = utf8_sequence_length(text, at);
        if (length > 1) {  // valid multi-byte UTF-8 is kept as it is
            out.append(text.substr(at, length));
            at += length;
            continue;
        }
        ++at;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            // Other controls, DEL, and a byte that is not valid UTF-8 (written as the code point
            // of the same value, so 0xff reads "\u00ff": the log stays valid UTF-8 JSON).
            if (c < 0x20 || c == 0x7F || length == 0)
                append_unicode_escape(out, c);
            else
                out += static_cast<char>(c);
        }
    }
    out += '"';
}

namespace {

/// Appends `value` as exactly `width` decimal digits.
void append_digits(std::string& out, unsigned value, int width) {
    char digits[8];
    for (int i = width - 1; i >= 0; --i, value /= 10) digits[i] = static_cast<char>('0' + value % 10);
    out.append(digits, static_cast<std::size_t>(width));
}

}  // namespace

void append_utc_timestamp(std::string& out) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    // Every event of a second shares "2026-11-22T03:53:25.": formatted once per second and thread.
    thread_local std::time_t cached_second = -1;
    thread_local std::string cached_prefix;
    if (seconds != cached_second) {
        std::tm tm{};
        gmtime_r(&seconds, &tm);
        char text[64];
        std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                      tm.tm_min, tm.tm_sec);
        cached_prefix = text;
        cached_second = seconds;
    }
    out += cached_prefix;
    append_digits(out, static_cast<unsigned>(ms % 1000), 3);
    out += 'Z';
}

std::string utc_timestamp() {
    std::string text;
    append_utc_timestamp(text);
    return text;
}

JsonLine::JsonLine(std::uint64_t conn, std::string_view event, bool muted) : muted_(muted) {
    if (muted_) return;
    text_.reserve(256);  // most events fit: one allocation
    text_ = "{\"time\":\"";
    append_utc_timestamp(text_);
    text_ += '"';
    if (conn != 0) {
        text_ += ",\"conn\":";
        text_ += std::to_string(conn);
    }
    add("event", event);
}

void JsonLine::key(std::string_view key) {
    text_ += ',';
    append_json_string(text_, key);
    text_ += ':';
}

JsonLine& JsonLine::add(std::string_view k, std::string_view value) {
    if (muted_) return *this;
    key(k);
    append_capped(value);
    return *this;
}

void JsonLine::append_capped(std::string_view value) {
    std::string suffix;
    append_json_string(text_, capped(value, suffix));
    if (suffix.empty()) return;
    text_.pop_back();  // the closing quote: the suffix goes inside the string
    text_ += suffix + '"';
}

JsonLine& JsonLine::add(std::string_view k, std::int64_t value) {
    if (muted_) return *this;
    key(k);
    text_ += std::to_string(value);
    return *this;
}

JsonLine& JsonLine::add(std::string_view k, std::uint64_t value) {
    if (muted_) return *this;
    key(k);
    text_ += std::to_string(value);
    return *this;
}

JsonLine& JsonLine::add(std::string_view k, double value) {
    if (muted_) return *this;
    key(k);
    if (!std::isfinite(value)) {
        text_ += "null";
        return *this;
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", value);
    text_ += text;
    return *this;
}

JsonLine& JsonLine::add(std::string_view k, bool value) {
    if (muted_) return *this;
    key(k);
    text_ += value ? "true" : "false";
    return *this;
}

JsonLine& JsonLine::add(std::string_view k, const std::vector<std::string>& values) {
    if (muted_) return *this;
    key(k);
    text_ += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) text_ += ',';
        append_capped(values[i]);
    }
    text_ += ']';
    return *this;
}

JsonLine& JsonLine::add(std::string_view k, const std::vector<std::uint16_t>& values) {
    if (muted_) return *this;
    key(k);
    text_ += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) text_ += ',';
        text_ += std::to_string(values[i]);
    }
    text_ += ']';
    return *this;
}

}  // namespace tlsfault::proxy
