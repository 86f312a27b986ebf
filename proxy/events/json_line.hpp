// Builds one JSON object on one line: the unit of the event log. No JSON library needed for
// writing flat objects, and escaping is done in one place.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tlsfault::proxy {

class JsonLine {
public:
    /// Starts `{"time":"<now, UTC, ms>","conn":<conn>,"event":"<event>"`; conn 0 is omitted.
    /// A `muted` line (no sink would read it) builds nothing: every add() returns at once.
    JsonLine(std::uint64_t conn, std::string_view event, bool muted = false);

    JsonLine& add(std::string_view key, std::string_view value);
    JsonLine& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
    JsonLine& add(std::string_view key, std::int64_t value);
    JsonLine& add(std::string_view key, std::uint64_t value);
    JsonLine& add(std::string_view key, int value) { return add(key, static_cast<std::int64_t>(value)); }
    JsonLine& add(std::string_view key, unsigned value) { return add(key, static_cast<std::uint64_t>(value)); }
    JsonLine& add(std::string_view key, double value);
    JsonLine& add(std::string_view key, bool value);
    JsonLine& add(std::string_view key, const std::vector<std::string>& values);
    JsonLine& add(std::string_view key, const std::vector<std::uint16_t>& values);

    bool muted() const { return muted_; }
    /// The finished object, without a trailing newline.
    std::string str() const { return text_ + "}"; }

private:
    void key(std::string_view key);
    /// A string value, cut to logged_field_limit bytes with "…(N bytes)" appended when longer.
    void append_capped(std::string_view value);
    std::string text_;
    bool muted_ = false;
};

/// Appends `text` as a JSON string literal (quotes included) to `out`: always valid UTF-8 JSON.
/// Valid UTF-8 is kept; quote, backslash, \n, \r, \t get their short escapes; other control
/// characters, DEL and every byte that is not valid UTF-8 become \u00XX (the byte's value).
void append_json_string(std::string& out, std::string_view text);

/// The current UTC time as "2026-11-22T03:53:25.123Z".
std::string utc_timestamp();
/// The same, appended to `out` (no allocation once the second's prefix is formatted).
void append_utc_timestamp(std::string& out);

}  // namespace tlsfault::proxy
