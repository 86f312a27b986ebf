// build_response, the canned-answer builder: the exact bytes a rule's http answer puts on the
// wire (reason phrase, header order, defaults a rule can override) and where each deliberate
// breakage stops them.
#include "proxy/scenario/canned_response.hpp"

#include <doctest/doctest.h>

#include <memory>

using namespace tlsfault;
using proxy::build_response;

namespace {

scenarios::HttpAction answer(int status, std::string body = "hello") {
    scenarios::HttpAction a;
    a.status = status;
    a.body = std::move(body);
    return a;
}

/// The part of `bytes` before the blank line.
std::string head_of(const std::string& bytes) { return bytes.substr(0, bytes.find("\r\n\r\n") + 4); }

}  // namespace

TEST_CASE("build_response: the default answer, byte for byte") {
    auto r = build_response(answer(200), "hello", true, false, 7);
    CHECK(r.bytes == "HTTP/1.1 200 OK\r\nServer: tlsfault\r\nX-Tlsfault-Connection: 7\r\nContent-Length: 5\r\n\r\nhello");
    CHECK(r.send == std::string::npos);
    CHECK_FALSE(r.close_after);
    CHECK_FALSE(r.reset_after);
    CHECK_FALSE(r.truncates);
}

TEST_CASE("build_response: the rule's reason and headers, in file order, what it sets is not added again") {
    auto a = answer(403, "");
    a.reason = "CMGConnector_Forbidden";
    a.headers = {{"server", "Microsoft-IIS/10.0"}, {"X-B", "2"}, {"X-A", "1"}, {"Content-Length", "0"}, {"x-tlsfault-connection", "fixed"}};
    auto r = build_response(a, "", true, false, 9);
    CHECK(r.bytes ==
          "HTTP/1.1 403 CMGConnector_Forbidden\r\nserver: Microsoft-IIS/10.0\r\nX-B: 2\r\nX-A: 1\r\nContent-Length: 0\r\n"
          "x-tlsfault-connection: fixed\r\n\r\n");
    CHECK(proxy::has_header(a, "SERVER"));
    CHECK_FALSE(proxy::has_header(a, "Serve"));
}

TEST_CASE("build_response: an unknown status has an empty standard reason, connection_header: false drops the id") {
    auto a = answer(599, "x");
    a.connection_header = false;
    auto r = build_response(a, "x", true, false, 1);
    CHECK(r.bytes == "HTTP/1.1 599 \r\nServer: tlsfault\r\nContent-Length: 1\r\n\r\nx");
}

TEST_CASE("build_response: a request that does not keep alive gets Connection: close and ends the connection") {
    auto r = build_response(answer(200), "hello", false, false, 3);
    CHECK(head_of(r.bytes).find("Connection: close\r\n") != std::string::npos);
    CHECK(r.close_after);
    CHECK(r.send == std::string::npos);
}

TEST_CASE("build_response: HEAD gets the head (Content-Length of the body) and no body") {
    auto r = build_response(answer(200), "hello", true, true, 3);
    CHECK(r.bytes == "HTTP/1.1 200 OK\r\nServer: tlsfault\r\nX-Tlsfault-Connection: 3\r\nContent-Length: 5\r\n\r\n");
    auto a = answer(200);
    a.truncate_body = 2;  // nothing to truncate in a HEAD answer
    auto head = build_response(a, "hello", true, true, 3);
    CHECK(head.send == std::string::npos);
    CHECK_FALSE(head.truncates);
    CHECK(head.close_after);
}

TEST_CASE("build_response: truncate_body announces the whole body and stops after N body bytes, with a FIN") {
    auto a = answer(200, "0123456789");
    a.truncate_body = 4;
    auto r = build_response(a, a.body, true, false, 1);
    const auto head = head_of(r.bytes);
    CHECK(head.find("Content-Length: 10\r\n") != std::string::npos);
    CHECK(head.find("Connection: close\r\n") != std::string::npos);
    CHECK(r.send == head.size() + 4);
    CHECK(r.bytes.substr(head.size(), 4) == "0123");
    CHECK(r.truncates);
    CHECK(r.close_after);
    CHECK_FALSE(r.reset_after);
}

TEST_CASE("build_response: abort_after stops after N body bytes with a reset, never past the body") {
    auto a = answer(200, "0123456789");
    a.abort_after = 3;
    auto r = build_response(a, a.body, true, false, 1);
    CHECK(r.send == head_of(r.bytes).size() + 3);
    CHECK(r.reset_after);
    CHECK_FALSE(r.truncates);
    a.abort_after = 1000;
    auto whole = build_response(a, a.body, true, false, 1);
    CHECK(whole.send == whole.bytes.size());
}

TEST_CASE("build_response: malformed_chunk sends a first chunk, then a size line that is not hex") {
    auto a = answer(200, "abcdef");
    a.malformed_chunk = true;
    auto r = build_response(a, a.body, true, false, 1);
    CHECK(r.bytes ==
          "HTTP/1.1 200 OK\r\nServer: tlsfault\r\nX-Tlsfault-Connection: 1\r\nConnection: close\r\n"
          "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz-not-hex\r\ndef\r\n0\r\n\r\n");
    CHECK(r.bytes.find("Content-Length") == std::string::npos);
    CHECK(r.close_after);
    CHECK(r.send == std::string::npos);
}

TEST_CASE("build_response: a body_file's bytes, loaded with the scenario, are the body") {
    auto a = answer(200, "");
    a.body_file = scenarios::NamedFile{"/srv/page.html", std::make_shared<const std::string>("<p>from the file</p>")};
    CHECK(a.body_bytes() == "<p>from the file</p>");
    auto r = build_response(a, a.body_bytes(), true, false, 1);
    CHECK(r.bytes.ends_with("Content-Length: 20\r\n\r\n<p>from the file</p>"));
}
