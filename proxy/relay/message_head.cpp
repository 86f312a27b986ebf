// Header bytes without Beast's serializer, and the response head parser; see message_head.hpp.
#include "proxy/relay/message_head.hpp"

#include <boost/beast/core/string.hpp>

#include <array>
#include <cstring>
#include <string_view>

namespace tlsfault::proxy {
namespace {

/// Appends pieces to a fixed area; `fits` turns false (and stays) once one does not fit.
class ByteWriter {
public:
    ByteWriter(char* out, std::size_t room) : out_(out), room_(room) {}
    ByteWriter& operator<<(std::string_view piece) {
        if (!fits_ || piece.size() > room_ - used_) {
            fits_ = false;
            return *this;
        }
        std::memcpy(out_ + used_, piece.data(), piece.size());
        used_ += piece.size();
        return *this;
    }
    /// The bytes written, or 0 when something did not fit.
    std::size_t result() const { return fits_ ? used_ : 0; }

private:
    char* out_;
    std::size_t room_;
    std::size_t used_ = 0;
    bool fits_ = true;
};

/// "HTTP/1.1", as Beast writes any version.
std::string_view version_text(unsigned version, char (&text)[8]) {
    std::memcpy(text, "HTTP/", 5);
    text[5] = static_cast<char>('0' + version / 10);
    text[6] = '.';
    text[7] = static_cast<char>('0' + version % 10);
    return {text, 8};
}

/// The fields as Beast stores and writes them ("name: value\r\n" each), then the empty line.
template <bool isRequest>
std::size_t finish_header(ByteWriter& w, const http::header<isRequest>& header) {
    for (const auto& field : header) w << field.name_string() << ": " << field.value() << "\r\n";
    w << "\r\n";
    return w.result();
}

/// One table lookup per byte: token characters (RFC 9110, Beast's is_token table) and plain
/// text (visible ASCII, space and tab: a subset of what Beast takes in a reason or field value).
enum : unsigned char { token_bit = 1, text_bit = 2 };
constexpr std::array<unsigned char, 256> char_classes = [] {
    std::array<unsigned char, 256> table{};
    table['\t'] = text_bit;
    for (int c = 0x20; c < 0x7f; ++c) table[c] = text_bit | (c > 0x20 ? token_bit : 0);
    for (unsigned char c : std::string_view("\"(),/:;<=>?@[\\]{}")) table[c] &= ~token_bit;
    return table;
}();

inline bool is_token_char(char c) { return char_classes[static_cast<unsigned char>(c)] & token_bit; }
inline bool is_ows(char c) { return c == ' ' || c == '\t'; }

/// The first `c` in `text` at or after `from`, or npos: memchr, without string_view::find's
/// out-of-line call (it stayed a call in the Release build, one per field).
inline std::size_t find_byte(std::string_view text, char c, std::size_t from) {
    if (from >= text.size()) return std::string_view::npos;
    const void* at = std::memchr(text.data() + from, c, text.size() - from);
    return at == nullptr ? std::string_view::npos : static_cast<std::size_t>(static_cast<const char*>(at) - text.data());
}
/// `count` bytes of `text` from `at`, both known to be inside it (substr's bounds check is a call).
inline std::string_view piece(std::string_view text, std::size_t at, std::size_t count) { return {text.data() + at, count}; }

/// Where the empty line ending a header starts ("\r\n\r\n"), searching from `from`, or npos.
/// memchr finds each line's LF and only those are looked at: string_view::find tests every byte.
std::size_t header_end(std::string_view text, std::size_t from) {
    for (std::size_t lf = find_byte(text, '\n', from + 3); lf != std::string_view::npos; lf = find_byte(text, '\n', lf + 1)) {
        if (text[lf - 1] == '\r' && text[lf - 2] == '\n' && text[lf - 3] == '\r') return lf - 3;
    }
    return std::string_view::npos;
}

/// Whether `s` is all token characters (a field name: a few bytes).
bool all_token_chars(std::string_view s) {
    unsigned char all = token_bit;
    for (unsigned char c : s) all &= char_classes[c];
    return all == token_bit;
}

/// Whether `s` is all plain text: eight bytes at a time (a field value or reason is most of a
/// header's bytes), each word tested for a byte below 0x20 or above 0x7e with the usual
/// bit tricks; only a word that has one (a tab, or a byte that is not plain) is looked at
/// byte by byte.
bool all_plain_text(std::string_view s) {
    constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        const std::uint64_t below_space = (w - ones * 0x20) & ~w & highs;            // a byte < 0x20
        const std::uint64_t above_tilde = ((w + ones * (0x7f - 0x7e)) | w) & highs;  // a byte > 0x7e
        if ((below_space | above_tilde) != 0)
            for (std::size_t j = i; j < i + 8; ++j)
                if (!(char_classes[static_cast<unsigned char>(s[j])] & text_bit)) return false;
    }
    for (; i < s.size(); ++i)
        if (!(char_classes[static_cast<unsigned char>(s[i])] & text_bit)) return false;
    return true;
}

/// What the relay needs from a plain response header.
struct PlainHead {
    unsigned status = 0;
    std::string_view reason;
    std::optional<std::uint64_t> length;  ///< as known_body_length() says it
    bool keep_alive = false;
};

/// Reads a whole response header (`text` ends with its empty line) when it is plain: HTTP/1.0 or
/// 1.1, a final status 200-599, reason and values of visible ASCII, space and tab, names of token
/// characters, no folded line, at most one Content-Length of at most 18 digits, no
/// Transfer-Encoding, Connection lists of tokens. Anything else is nullopt, for Beast's parser,
/// which accepts every plain header and reads it the same way (the fuzz target http_response
/// compares the two on every header this one reads).
std::optional<PlainHead> read_plain_head(std::string_view text, bool head_request) {
    PlainHead out;
    if (text.size() < 17 || piece(text, 0, 7) != "HTTP/1." || (text[7] != '0' && text[7] != '1') || text[8] != ' ') return std::nullopt;
    const bool http11 = text[7] == '1';
    for (int i = 9; i < 12; ++i)
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
    out.status = static_cast<unsigned>((text[9] - '0') * 100 + (text[10] - '0') * 10 + (text[11] - '0'));
    if (out.status < 200 || out.status > 599 || text[12] != ' ') return std::nullopt;
    std::size_t p = 13;
    auto line_end = [&](std::size_t from) -> std::size_t {  // the CR ending a line of plain text, or npos
        const std::size_t cr = find_byte(text, '\r', from);
        if (cr == std::string_view::npos || cr + 1 >= text.size() || text[cr + 1] != '\n') return std::string_view::npos;
        return all_plain_text(piece(text, from, cr - from)) ? cr : std::string_view::npos;
    };
    std::size_t cr = line_end(p);
    if (cr == std::string_view::npos) return std::nullopt;
    out.reason = piece(text, p, cr - p);
    p = cr + 2;
    bool close = false, keep_alive_token = false, has_length = false;
    std::uint64_t length = 0;
    for (;;) {
        if (p + 1 < text.size() && text[p] == '\r' && text[p + 1] == '\n') break;  // the empty line
        const std::size_t colon = find_byte(text, ':', p);
        if (colon == std::string_view::npos || colon == p) return std::nullopt;
        const std::string_view name = piece(text, p, colon - p);
        if (!all_token_chars(name)) return std::nullopt;
        p = colon + 1;
        while (p < text.size() && is_ows(text[p])) ++p;
        cr = line_end(p);
        if (cr == std::string_view::npos || cr + 2 >= text.size() || is_ows(text[cr + 2])) return std::nullopt;  // folded
        std::string_view value = piece(text, p, cr - p);
        while (!value.empty() && is_ows(value.back())) value.remove_suffix(1);
        p = cr + 2;
        // Only four names matter: their lengths rule out most fields before a byte is compared.
        switch (name.size()) {
        case 14:
            if (!boost::beast::iequals(name, "content-length")) break;
            if (has_length || value.empty() || value.size() > 18) return std::nullopt;
            for (char c : value) {
                if (c < '0' || c > '9') return std::nullopt;
                length = length * 10 + static_cast<std::uint64_t>(c - '0');
            }
            has_length = true;
            break;
        case 17:
            if (boost::beast::iequals(name, "transfer-encoding")) return std::nullopt;
            break;
        case 10:
        case 16:
            if (!boost::beast::iequals(name, "connection") && !boost::beast::iequals(name, "proxy-connection")) break;
            while (!value.empty()) {
                const std::size_t comma = value.find(',');
                std::string_view item = value.substr(0, comma);
                value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
                while (!item.empty() && is_ows(item.front())) item.remove_prefix(1);
                while (!item.empty() && is_ows(item.back())) item.remove_suffix(1);
                for (char c : item)
                    if (!is_token_char(c)) return std::nullopt;
                // Only these two tokens are looked for: their lengths again come first.
                close = close || (item.size() == 5 && boost::beast::iequals(item, "close"));
                keep_alive_token = keep_alive_token || (item.size() == 10 && boost::beast::iequals(item, "keep-alive"));
            }
            break;
        default: break;
        }
    }
    if (p + 2 != text.size()) return std::nullopt;
    // Beast's framing: no body after a HEAD, a 204 or a 304 whatever Content-Length says.
    if (head_request || out.status == 204 || out.status == 304)
        out.length = 0;
    else if (has_length)
        out.length = length;
    const bool until_close = !out.length;  // the body ends when the connection does
    out.keep_alive = !until_close && (http11 ? !close : keep_alive_token);
    return out;
}

}  // namespace

std::size_t write_header_bytes(const http::request_header<>& header, char* out, std::size_t room) {
    ByteWriter w(out, room);
    char version[8];
    w << header.method_string() << " " << header.target() << " " << version_text(header.version(), version) << "\r\n";
    return finish_header(w, header);
}

std::size_t write_header_bytes(const http::response_header<>& header, char* out, std::size_t room) {
    ByteWriter w(out, room);
    char version[8];
    const unsigned code = header.result_int();
    const char status[3] = {static_cast<char>('0' + code / 100), static_cast<char>('0' + code / 10 % 10),
                            static_cast<char>('0' + code % 10)};
    w << version_text(header.version(), version) << " " << std::string_view(status, 3) << " " << header.reason() << "\r\n";
    return finish_header(w, header);
}

bool ResponseHeadParser::parse(boost::asio::const_buffer bytes, boost::beast::error_code& ec) {
    const char* data = static_cast<const char*>(bytes.data());
    if (!beast_) {
        // The plain scanner reads a whole header, as Beast's parser does (it waits for the empty
        // line before it parses a field); until then only the new bytes are searched.
        const std::string_view text(data, bytes.size());
        const std::size_t end = header_end(text, scanned_ >= 3 ? scanned_ - 3 : 0);
        scanned_ = text.size();
        if (end == std::string_view::npos) {
            // Over the limit with no end in sight is header_limit, as Beast says of a whole
            // header. Not Beast's parser from here: given its first bytes mid-header, it parses
            // the fields it has and counts the limit from there, passing a header over it.
            ec = text.size() < limit_ ? http::error::need_more : http::error::header_limit;
            return false;
        }
        if (end + 4 < limit_) {
            if (auto head = read_plain_head(piece(text, 0, end + 4), skip_)) {
                status_ = head->status;
                reason_.assign(head->reason.data(), head->reason.size());
                size_ = end + 4;
                plain_ = true;
                plain_length_ = head->length;
                plain_keep_alive_ = head->keep_alive;
                ec = {};
                return true;
            }
        }
        beast_ = true;  // not plain, or over the limit: Beast's parser reads it whole and says what it is
    }
    // Beast's parser takes the start line, then the fields, and says how much it used each time:
    // the bytes used are not offered again (Beast's own read consumes them from the buffer).
    while (!is_header_done()) {
        ec = {};
        size_ += put(boost::asio::const_buffer(data + size_, bytes.size() - size_), ec);
        if (ec) return false;
    }
    return true;
}

std::optional<std::uint64_t> framed_body_length(const http::basic_parser<false>& parser) {
    if (parser.is_done()) return 0;  // no body follows (HEAD, 204, 304, Content-Length: 0)
    if (parser.chunked()) return std::nullopt;
    if (auto length = parser.content_length()) return *length;
    return std::nullopt;  // until the upstream closes
}

std::optional<std::uint64_t> ResponseHeadParser::known_body_length() const { return plain_ ? plain_length_ : framed_body_length(*this); }

void ResponseHeadParser::on_response_impl(int code, boost::beast::string_view reason, int, boost::beast::error_code&) {
    status_ = static_cast<unsigned>(code);
    reason_.assign(reason.data(), reason.size());
}

}  // namespace tlsfault::proxy
