// Header bytes without Beast's serializer, and the response head parser; see message_head.hpp.
#include "proxy/relay/message_head.hpp"

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
    // Beast's parser takes the start line, then the fields, and says how much it used each time:
    // the bytes used are not offered again (Beast's own read consumes them from the buffer).
    const char* data = static_cast<const char*>(bytes.data());
    while (!is_header_done()) {
        ec = {};
        size_ += put(boost::asio::const_buffer(data + size_, bytes.size() - size_), ec);
        if (ec) return false;
    }
    return true;
}

std::optional<std::uint64_t> ResponseHeadParser::known_body_length() const {
    if (is_done()) return 0;  // no body follows (HEAD, 204, 304, Content-Length: 0)
    if (chunked()) return std::nullopt;
    if (auto length = content_length()) return *length;
    return std::nullopt;  // until the upstream closes
}

void ResponseHeadParser::on_response_impl(int code, boost::beast::string_view reason, int, boost::beast::error_code&) {
    status_ = static_cast<unsigned>(code);
    reason_.assign(reason.data(), reason.size());
}

}  // namespace tlsfault::proxy
