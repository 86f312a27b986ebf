// The relay's header bytes without Beast's serializer must be the serializer's bytes exactly,
// and the response head parser must frame a response as Beast's own parser does.
#include "proxy/relay/message_head.hpp"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace tlsfault::proxy;
namespace beast = boost::beast;

namespace {

/// What Beast's serializer writes for `header` (its header part).
template <bool isRequest>
std::string serialized(const http::header<isRequest>& header) {
    http::message<isRequest, http::empty_body> message{header};
    http::serializer<isRequest, http::empty_body> sr{message};
    sr.split(true);
    std::string out;
    beast::error_code ec;
    while (!sr.is_header_done()) {
        sr.next(ec, [&](beast::error_code&, const auto& buffers) {
            out += beast::buffers_to_string(buffers);
            sr.consume(beast::buffer_bytes(buffers));
        });
        REQUIRE_FALSE(ec);
    }
    return out;
}

template <bool isRequest>
std::string by_hand(const http::header<isRequest>& header, std::size_t room = 4096) {
    std::vector<char> out(room);
    const std::size_t n = write_header_bytes(header, out.data(), out.size());
    return std::string(out.data(), n);
}

/// Parses `bytes` (given whole) with the head parser; the error, if any.
beast::error_code parse_head(ResponseHeadParser& parser, const std::string& bytes, bool head_request = false) {
    if (head_request) parser.skip(true);
    beast::error_code ec;
    const bool done = parser.parse(boost::asio::buffer(bytes), ec);
    CHECK(done == !ec);
    return ec;
}

}  // namespace

TEST_CASE("message head: request header bytes are Beast's serializer's, field order and names as stored") {
    http::request_header<> req;
    req.method(http::verb::get);
    req.target("/path?q=1");
    req.version(11);
    req.set(http::field::host, "example.test:8443");
    req.insert("x-lower-case", "v");
    req.insert("X-Two", "first");
    req.insert("X-Two", "second");
    CHECK(by_hand(req) == serialized(req));
    CHECK(by_hand(req) == "GET /path?q=1 HTTP/1.1\r\nHost: example.test:8443\r\nx-lower-case: v\r\nX-Two: first\r\nX-Two: second\r\n\r\n");

    http::request_header<> custom;
    custom.method_string("PROPFIND");
    custom.target("*");
    custom.version(10);
    CHECK(by_hand(custom) == serialized(custom));
    CHECK(by_hand(custom) == "PROPFIND * HTTP/1.0\r\n\r\n");
}

TEST_CASE("message head: response header bytes keep the reason given, or Beast's standard one") {
    http::response_header<> res;
    res.result(403);
    res.reason("CMGConnector_Clientcertificaterequired");
    res.set(http::field::content_length, "22");
    CHECK(by_hand(res) == serialized(res));
    CHECK(by_hand(res).rfind("HTTP/1.1 403 CMGConnector_Clientcertificaterequired\r\n", 0) == 0);

    http::response_header<> standard;
    standard.result(204);
    CHECK(by_hand(standard) == serialized(standard));
    CHECK(by_hand(standard) == "HTTP/1.1 204 No Content\r\n\r\n");

    http::response_header<> unknown;
    unknown.result(599);
    CHECK(by_hand(unknown) == serialized(unknown));
}

TEST_CASE("message head: a header that does not fit the room writes nothing (the caller takes Beast's path)") {
    http::request_header<> req;
    req.method(http::verb::get);
    req.target("/");
    req.set(http::field::host, "h");
    const std::string whole = serialized(req);
    CHECK(by_hand(req, whole.size()) == whole);
    CHECK(by_hand(req, whole.size() - 1).empty());
}

TEST_CASE("message head: the head parser frames responses as Beast does and leaves the bytes") {
    const std::string header = "HTTP/1.1 299 Odd  Reason\r\nX-Spaced:   v  \r\nContent-Length: 5\r\n\r\n";
    ResponseHeadParser sized;
    REQUIRE_FALSE(parse_head(sized, header + "hello"));
    CHECK(sized.status() == 299);
    CHECK(sized.reason() == "Odd  Reason");
    CHECK(sized.size() == header.size());
    CHECK(sized.known_body_length() == 5);
    CHECK(sized.keeps_alive());

    ResponseHeadParser chunked;
    REQUIRE_FALSE(parse_head(chunked, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
    CHECK_FALSE(chunked.known_body_length());

    ResponseHeadParser until_close;
    REQUIRE_FALSE(parse_head(until_close, "HTTP/1.0 200 OK\r\n\r\nbody until the end"));
    CHECK_FALSE(until_close.known_body_length());
    CHECK_FALSE(until_close.keeps_alive());

    ResponseHeadParser no_content;
    REQUIRE_FALSE(parse_head(no_content, "HTTP/1.1 204 No Content\r\n\r\n"));
    CHECK(no_content.known_body_length() == 0);

    ResponseHeadParser head_answer;  // a HEAD's answer names a length but carries no body
    REQUIRE_FALSE(parse_head(head_answer, header, true));
    CHECK(head_answer.known_body_length() == 0);

    ResponseHeadParser close;
    REQUIRE_FALSE(parse_head(close, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));
    CHECK_FALSE(close.keeps_alive());
}

TEST_CASE("message head: an incomplete header asks for more, then parses from the same start") {
    const std::string bytes = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    ResponseHeadParser parser;
    beast::error_code ec;
    CHECK_FALSE(parser.parse(boost::asio::buffer(bytes.data(), 20), ec));  // the start line and a part of a field
    CHECK(ec == http::error::need_more);
    CHECK_FALSE(parser.parse(boost::asio::buffer(bytes.data(), 36), ec));
    CHECK(ec == http::error::need_more);
    REQUIRE(parser.parse(boost::asio::buffer(bytes), ec));
    CHECK_FALSE(ec);
    CHECK(parser.size() == bytes.size() - 2);
    CHECK(parser.known_body_length() == 2);
}

TEST_CASE("message head: the empty line is found wherever the reads split it, and not before it is whole") {
    // Bytes arrive a few at a time: each parse searches only past what it already searched, so
    // an empty line cut between two reads (CR | LF CR LF, CR LF | CR LF, ...) must still be found.
    const std::string header = "HTTP/1.1 204 No Content\r\nServer: x\r\nX-A: \r\n\r\n";
    for (std::size_t step = 1; step <= 4; ++step) {
        ResponseHeadParser parser;
        beast::error_code ec;
        std::size_t given = 0;
        bool done = false;
        while (!done && given < header.size()) {
            given = std::min(header.size(), given + step);
            done = parser.parse(boost::asio::buffer(header.data(), given), ec);
            if (!done) REQUIRE(ec == http::error::need_more);
        }
        CAPTURE(step);
        CHECK(done);
        CHECK(given == header.size());  // not before its last byte
        CHECK(parser.size() == header.size());
        CHECK(parser.known_body_length() == 0);
    }
}

TEST_CASE("message head: plain headers are read without Beast's parser, the rest with it, with the same findings") {
    struct Case {
        std::string header;
        bool plain;
        bool head_request = false;
    };
    const Case cases[] = {
        {"HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Fri, 04 Dec 2026 16:00:00 GMT\r\nContent-Type: text/plain\r\n"
         "Content-Length: 1024\r\nLast-Modified: Fri, 04 Dec 2026 15:00:00 GMT\r\nConnection: keep-alive\r\nETag: \"x\"\r\n"
         "Accept-Ranges: bytes\r\n\r\n",
         true},
        {"HTTP/1.1 200 OK\r\ncontent-length:7 \r\nCONNECTION: Upgrade, close\r\n\r\n", true},
        {"HTTP/1.0 200 OK\r\nContent-Length: 3\r\nProxy-Connection: ,keep-alive,\r\n\r\n", true},
        {"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\n", true},
        {"HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n", true},
        {"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", true, true},
        {"HTTP/1.1 404 \r\n\r\n", true},  // empty reason; body until close
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", false},
        {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", false},
        {"HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n", false},
        {"HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 0\r\n\r\n", false},
        {"HTTP/1.1 200 Caf\xc3\xa9\r\nContent-Length: 0\r\n\r\n", false},  // obs-text in the reason
        {"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", false},
        {"HTTP/1.1 200 OK\r\nConnection: keep alive\r\nContent-Length: 0\r\n\r\n", false},  // Beast refuses it
        {"HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n", false},
    };
    for (const auto& c : cases) {
        CAPTURE(c.header);
        ResponseHeadParser head;
        const auto head_ec = parse_head(head, c.header, c.head_request);
        CHECK(head.read_plainly() == c.plain);
        http::response_parser<http::empty_body> full;
        if (c.head_request) full.skip(true);
        beast::error_code full_ec;
        const std::size_t used = full.put(boost::asio::buffer(c.header), full_ec);
        CHECK(bool(head_ec) == bool(full_ec));
        if (head_ec || full_ec) continue;
        CHECK(head.size() == used);
        CHECK(head.status() == full.get().result_int());
        if (!head.reason().empty()) CHECK(head.reason() == std::string(full.get().reason()));  // else Beast's own

        CHECK(head.keeps_alive() == full.keep_alive());
        CHECK(head.known_body_length() == framed_body_length(full));
    }
}

TEST_CASE("message head: a header over the limit is Beast's header_limit error, whole or in pieces") {
    const std::string header = "HTTP/1.1 200 OK\r\nX-Long: " + std::string(200, 'a') + "\r\nContent-Length: 0\r\n\r\n";
    ResponseHeadParser whole;
    whole.header_limit(100);
    CHECK(parse_head(whole, header) == http::error::header_limit);
    ResponseHeadParser pieces;
    pieces.header_limit(100);
    beast::error_code ec;
    CHECK_FALSE(pieces.parse(boost::asio::buffer(header.data(), 60), ec));
    CHECK(ec == http::error::need_more);
    CHECK(pieces.got_some());
    CHECK_FALSE(pieces.parse(boost::asio::buffer(header.data(), 150), ec));
    CHECK(ec == http::error::header_limit);
}
