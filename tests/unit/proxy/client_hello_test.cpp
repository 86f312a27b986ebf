// ClientHello parsing from bytes: a real client's hello, every truncation of it, split records,
// GREASE, and malformed input — no sockets.
#include "proxy/tls/client_hello.hpp"
#include "tests/unit/proxy/client_hello_fixtures.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::proxy;
using namespace tlsfault::test;

TEST_CASE("client_hello: parses a real OpenSSL ClientHello") {
    auto bytes = from_hex(openssl_hello_hex);
    auto p = parse_client_hello(bytes);
    REQUIRE(p.status == HelloStatus::parsed);
    CHECK(p.hello.sni == "fixture.example");
    CHECK(p.hello.legacy_version == 0x0303);
    CHECK(p.hello.alpn == std::vector<std::string>{"h2", "http/1.1"});
    CHECK(p.hello.supported_versions == std::vector<std::uint16_t>{0x0304, 0x0303, 0x0302, 0x0301});
    CHECK(p.hello.cipher_suites.size() == 31);
    CHECK(p.hello.cipher_suites.front() == 0x1302);
    CHECK(p.hello.extensions == std::vector<std::uint16_t>{0, 11, 10, 35, 16, 22, 23, 13, 43, 45, 51});
    CHECK(p.hello.supported_groups.front() == 29);
    CHECK(p.hello.ec_point_formats == std::vector<std::uint8_t>{0, 1, 2});
    CHECK(p.hello.bytes == bytes.size());
    CHECK(highest_offered_version(p.hello) == 0x0304);
    // The random follows the version; key log lines name the connection by it.
    CHECK(client_random_hex(p.hello) == "591df1246c26c1f36c1c6690d57d43b0e9df73e931356e13a2d2f96fe2c3a9fa");
}

TEST_CASE("client_hello: every truncation of a real hello asks for more bytes") {
    auto bytes = from_hex(openssl_hello_hex);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        auto p = parse_client_hello(std::span(bytes).first(n));
        CAPTURE(n);
        CHECK(p.status == HelloStatus::need_more);
    }
}

TEST_CASE("client_hello: a hello split over several records is reassembled") {
    HelloSpec spec;
    spec.extensions = {{0, sni_extension("split.tlsfault.test")}, {16, alpn_extension({"http/1.1"})}};
    auto message = build_hello_message(spec);
    auto bytes = in_records(message, 20);
    REQUIRE(bytes.size() > message.size() + 10);  // really several records
    auto p = parse_client_hello(bytes);
    REQUIRE(p.status == HelloStatus::parsed);
    CHECK(p.hello.sni == "split.tlsfault.test");
    CHECK(p.hello.alpn == std::vector<std::string>{"http/1.1"});
    CHECK(p.hello.bytes == bytes.size());
    CHECK(parse_client_hello(std::span(bytes).first(bytes.size() - 1)).status == HelloStatus::need_more);
}

TEST_CASE("client_hello: bytes that are not TLS are invalid, and say so") {
    std::string http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    auto p = parse_client_hello(std::span(reinterpret_cast<const std::uint8_t*>(http.data()), http.size()));
    CHECK(p.status == HelloStatus::invalid);
    CHECK_FALSE(p.looks_like_tls);
    std::vector<std::uint8_t> sslv2 = {0x80, 0x2e, 0x01, 0x00, 0x02};
    CHECK(parse_client_hello(sslv2).reason.find("SSLv2") != std::string::npos);
}

TEST_CASE("client_hello: malformed lengths are invalid, never read past the input") {
    SUBCASE("record length zero") {
        std::vector<std::uint8_t> b = {0x16, 0x03, 0x01, 0x00, 0x00};
        CHECK(parse_client_hello(b).status == HelloStatus::invalid);
    }
    SUBCASE("record too long") {
        std::vector<std::uint8_t> b = {0x16, 0x03, 0x01, 0xff, 0xff};
        CHECK(parse_client_hello(b).status == HelloStatus::invalid);
    }
    SUBCASE("not a ClientHello handshake") {
        auto b = in_records({0x02, 0x00, 0x00, 0x01, 0x00});
        CHECK(parse_client_hello(b).status == HelloStatus::invalid);
    }
    SUBCASE("extension longer than the list") {
        HelloSpec spec;
        spec.extensions = {{0, sni_extension("a.example")}};
        auto message = build_hello_message(spec);
        message[message.size() - sni_extension("a.example").size() - 1] = 0xff;  // extension length low byte
        auto p = parse_client_hello(in_records(message));
        CHECK(p.status == HelloStatus::invalid);
        CHECK(p.looks_like_tls);
    }
    SUBCASE("server_name list shorter than its entry") {
        HelloSpec spec;
        auto sni = sni_extension("b.example");
        sni[4] = 0x7f;  // host name length beyond the extension
        spec.extensions = {{0, sni}};
        CHECK(parse_client_hello(in_records(build_hello_message(spec))).status == HelloStatus::invalid);
    }
    SUBCASE("a handshake message announcing 16 MB") {
        std::vector<std::uint8_t> b = in_records({0x01, 0xff, 0xff, 0xff, 0x03, 0x03});
        CHECK(parse_client_hello(b).status == HelloStatus::invalid);
    }
}

TEST_CASE("client_hello: a hello without extensions parses") {
    HelloSpec spec;
    auto message = build_hello_message(spec);
    message.resize(message.size() - 2);  // drop the empty extensions length
    auto len = message.size() - 4;
    message[1] = 0;
    message[2] = static_cast<std::uint8_t>(len >> 8);
    message[3] = static_cast<std::uint8_t>(len);
    auto p = parse_client_hello(in_records(message));
    REQUIRE(p.status == HelloStatus::parsed);
    CHECK_FALSE(p.hello.sni);
    CHECK(p.hello.extensions.empty());
}

TEST_CASE("client_hello: GREASE values are recognised") {
    CHECK(is_grease(0x0a0a));
    CHECK(is_grease(0xfafa));
    CHECK_FALSE(is_grease(0x0a1a));
    CHECK_FALSE(is_grease(0x1301));
    CHECK(tls_version_name(0x0304) == "TLSv1.3");
    CHECK(tls_version_name(0x7f1c) == "0x7f1c");
}
