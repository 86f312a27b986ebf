// JA3 and JA4 of fixed hellos. The expected values come from an independent implementation
// (a 40-line Python script following the JA3/JA4 specifications) run over the same bytes.
#include "proxy/tls/client_hello.hpp"
#include "proxy/tls/fingerprint.hpp"
#include "tests/unit/proxy/client_hello_fixtures.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::proxy;
using namespace tlsfault::test;

TEST_CASE("fingerprint: JA3 and JA4 of a real OpenSSL hello") {
    auto p = parse_client_hello(from_hex(openssl_hello_hex));
    REQUIRE(p.status == HelloStatus::parsed);
    CHECK(ja3_string(p.hello) ==
          "771,4866-4867-4865-49196-49200-159-52393-52392-52394-49195-49199-158-49188-49192-107-49187-49191-103-"
          "49162-49172-57-49161-49171-51-157-156-61-60-53-47-255,0-11-10-35-16-22-23-13-43-45-51,"
          "29-23-30-25-24-256-257-258-259-260,0-1-2");
    CHECK(ja3_hash(p.hello) == "5a1edc7f170af1014fc65c994878e63c");
    CHECK(ja4(p.hello) == "t13d3111h2_e8f1e7e78f70_1f22a2ca17c4");
}

TEST_CASE("fingerprint: fingerprints() gives the three values once") {
    auto p = parse_client_hello(from_hex(openssl_hello_hex));
    REQUIRE(p.status == HelloStatus::parsed);
    const Fingerprints f = fingerprints(p.hello);
    CHECK(f.ja3 == ja3_string(p.hello));
    CHECK(f.ja3_hash == "5a1edc7f170af1014fc65c994878e63c");
    CHECK(f.ja4 == "t13d3111h2_e8f1e7e78f70_1f22a2ca17c4");
}

TEST_CASE("fingerprint: a non-alphanumeric ALPN value gives JA4 the first and last hex digits") {
    HelloSpec spec;
    spec.ciphers = {0x1301};
    spec.extensions = {{0x10, {0x00, 0x03, 0x02, 0x1f, 0xe9}}};  // one ALPN value: bytes 1f e9
    auto p = parse_client_hello(in_records(build_hello_message(spec)));
    REQUIRE(p.status == HelloStatus::parsed);
    REQUIRE(p.hello.alpn.size() == 1);
    CHECK(ja4(p.hello).substr(8, 2) == "19");  // "1f" + "e9" -> '1' and '9'
}

TEST_CASE("fingerprint: GREASE is left out of JA3 and of JA4 counts") {
    HelloSpec plain;
    plain.ciphers = {0x1301, 0x1302};
    plain.extensions = {{0, sni_extension("g.example")}, {10, u16_list_extension({29, 23})}, {43, {2, 0x03, 0x04}}};
    HelloSpec greasy = plain;
    greasy.ciphers.insert(greasy.ciphers.begin(), 0x2a2a);
    greasy.extensions.insert(greasy.extensions.begin(), {0x5a5a, {}});
    greasy.extensions[2].second = u16_list_extension({0x7a7a, 29, 23});
    greasy.extensions[3].second = {4, 0x8a, 0x8a, 0x03, 0x04};
    auto a = parse_client_hello(in_records(build_hello_message(plain)));
    auto b = parse_client_hello(in_records(build_hello_message(greasy)));
    REQUIRE(a.status == HelloStatus::parsed);
    REQUIRE(b.status == HelloStatus::parsed);
    CHECK(ja3_string(a.hello) == "771,4865-4866,0-10-43,29-23,");
    CHECK(ja3_string(a.hello) == ja3_string(b.hello));
    CHECK(ja4(a.hello) == ja4(b.hello));
    CHECK(ja4(a.hello).substr(0, 10) == "t13d020300");
}

TEST_CASE("fingerprint: JA4 marks a hello without SNI and ALPN") {
    HelloSpec spec;
    spec.ciphers = {0x002f};
    auto p = parse_client_hello(in_records(build_hello_message(spec)));
    REQUIRE(p.status == HelloStatus::parsed);
    auto fp = ja4(p.hello);
    CHECK(fp.substr(0, 10) == "t12i010000");
    CHECK(fp.substr(fp.size() - 12) == "000000000000");  // no extensions: the third part is zeros
}
