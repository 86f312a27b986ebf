// Message headers in the relay without Beast's serializer or a stored field list: a header is
// written as bytes into the relay's scratch in front of the first body bytes (one write, one TLS
// record for a small message), and an upstream response header is parsed without keeping its
// fields, so that it goes to the client byte for byte from the read buffer. Both exist for the
// CPU cost of a kept-alive forwarded request (docs/performance.md, "Keep-alive request").
#pragma once

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/message.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace tlsfault::proxy {

namespace http = boost::beast::http;

/// Writes `header` as Beast's serializer does (start line, the fields in order as stored, an
/// empty line) into `out`. The bytes written, or 0 when they do not fit in `room`.
std::size_t write_header_bytes(const http::request_header<>& header, char* out, std::size_t room);
std::size_t write_header_bytes(const http::response_header<>& header, char* out, std::size_t room);

/// Body bytes that follow a response header as Beast's parser frames it (the header done): 0
/// when none follows (HEAD, 1xx, 204, 304, Content-Length: 0), nullopt for a chunked or
/// until-close body.
std::optional<std::uint64_t> framed_body_length(const http::basic_parser<false>& parser);

/// A response header parser that keeps only what the relay decides with: status, reason,
/// framing and keep-alive. The header's bytes stay where they were read (put() does not
/// consume), `size()` long. A plain header (most servers' answers: see read_plain_head in
/// message_head.cpp) is read by a scanner that looks only at the fields the relay needs;
/// anything else by Beast's parser, as before. On nginx's eight-field answer Beast's parser (its
/// field-name lookup, its token lists) took ~5,200 instructions, this one ~3,400 (callgrind).
class ResponseHeadParser final : public http::basic_parser<false> {
public:
    /// Beast's limits and HEAD flag, remembered for the plain scanner too.
    void header_limit(std::uint32_t bytes) {
        limit_ = bytes;
        basic_parser::header_limit(bytes);
    }
    void skip(bool head_request) {
        skip_ = head_request;
        basic_parser::skip(head_request);
    }
    /// Whether any byte of a header was seen (a close after that is a partial message).
    bool got_some() const { return scanned_ > 0 || basic_parser::got_some(); }
    unsigned status() const { return status_; }
    const std::string& reason() const { return reason_; }
    /// Parses what `bytes` holds past the part already parsed; `bytes` starts where it started
    /// at the previous call and may have grown. True once the header is complete, false with
    /// need_more (read more and call again) or another error in `ec`.
    bool parse(boost::asio::const_buffer bytes, boost::beast::error_code& ec);
    /// Header bytes parsed: the whole header's length once parse() returned true.
    std::size_t size() const { return size_; }
    /// Body bytes that follow the header: 0 for a message without one (HEAD, 204, 304), none
    /// for a chunked or until-close body.
    std::optional<std::uint64_t> known_body_length() const;
    /// Whether the connection may carry another response after this one (basic_parser::keep_alive).
    bool keeps_alive() const { return plain_ ? plain_keep_alive_ : keep_alive(); }
    /// True when the plain scanner read the header, false when Beast's parser did.
    bool read_plainly() const { return plain_; }

private:
    void on_request_impl(http::verb, boost::beast::string_view, boost::beast::string_view, int, boost::beast::error_code&) override {}
    void on_response_impl(int code, boost::beast::string_view reason, int version, boost::beast::error_code& ec) override;
    void on_field_impl(http::field, boost::beast::string_view, boost::beast::string_view, boost::beast::error_code&) override {}
    void on_header_impl(boost::beast::error_code&) override {}
    void on_body_init_impl(const boost::optional<std::uint64_t>&, boost::beast::error_code&) override {}
    std::size_t on_body_impl(boost::beast::string_view body, boost::beast::error_code&) override { return body.size(); }
    void on_chunk_header_impl(std::uint64_t, boost::beast::string_view, boost::beast::error_code&) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, boost::beast::string_view body, boost::beast::error_code&) override {
        return body.size();
    }
    void on_finish_impl(boost::beast::error_code&) override {}

    unsigned status_ = 0;
    std::string reason_;
    std::size_t size_ = 0;
    std::uint32_t limit_ = 8 * 1024;  ///< Beast's default header limit
    bool skip_ = false;
    std::size_t scanned_ = 0;  ///< bytes searched for the header's end so far
    bool beast_ = false;       ///< Beast's parser reads this header
    bool plain_ = false;       ///< the plain scanner read it; the two below are its findings
    std::optional<std::uint64_t> plain_length_;
    bool plain_keep_alive_ = false;
};

}  // namespace tlsfault::proxy
