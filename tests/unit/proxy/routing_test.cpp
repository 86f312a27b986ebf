// Default routing, host:port and absolute-URL parsing, proxy credentials: pure functions.
#include "proxy/core/engine_config.hpp"
#include "proxy/listeners/explicit_proxy_listener.hpp"
#include "proxy/relay/absolute_url.hpp"
#include "proxy/routing/default_router.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::proxy;

TEST_CASE("routing: <profile>.tlsfault.test shows that profile, other hosts get good") {
    auto expired = route_host("Expired.TLSFAULT.test.", "tlsfault.test");
    CHECK(expired.host == "expired.tlsfault.test");
    CHECK(expired.profile->name == "expired");
    CHECK(expired.lab_host);
    CHECK_FALSE(expired.unknown_profile);

    auto wrong = route_host("wrong-host.tlsfault.test", "tlsfault.test");
    CHECK(wrong.profile->name == "wrong-host");

    auto other = route_host("api.opendns.com", "tlsfault.test");
    CHECK(other.profile->name == "good");
    CHECK_FALSE(other.lab_host);

    auto unknown = route_host("nosuch.tlsfault.test", "tlsfault.test");
    CHECK(unknown.profile->name == "good");
    CHECK(unknown.lab_host);
    CHECK(unknown.unknown_profile);

    auto deeper = route_host("www.expired.tlsfault.test", "tlsfault.test");
    CHECK(deeper.profile->name == "good");
    CHECK(deeper.unknown_profile);

    CHECK(route_host("tlsfault.test", "tlsfault.test").lab_host);
    CHECK_FALSE(route_host("eviltlsfault.test", "tlsfault.test").lab_host);
    CHECK(route_host("[::1]", "tlsfault.test").host == "::1");
}

TEST_CASE("routing: every catalogue profile is reachable by name") {
    for (const char* name : {"good", "self-signed", "untrusted-root", "wrong-host", "expired", "not-yet-valid", "missing-intermediate",
                             "revoked", "sha1-signature", "rsa-1024", "no-san", "wrong-eku"}) {
        CAPTURE(name);
        CHECK(route_host(std::string(name) + ".tlsfault.test", "tlsfault.test").profile->name == name);
    }
}

TEST_CASE("config: listen addresses parse with IPv4, IPv6 and port 0") {
    auto v4 = parse_host_port("127.0.0.1:8443");
    REQUIRE(v4);
    CHECK(v4->host == "127.0.0.1");
    CHECK(v4->port == 8443);
    auto v6 = parse_host_port("[::1]:0");
    REQUIRE(v6);
    CHECK(v6->host == "::1");
    CHECK(v6->port == 0);
    CHECK(v6->str() == "[::1]:0");
    CHECK_FALSE(parse_host_port("::1:80"));
    CHECK_FALSE(parse_host_port("127.0.0.1"));
    CHECK_FALSE(parse_host_port("127.0.0.1:65536"));
    CHECK_FALSE(parse_host_port("127.0.0.1:8x"));
    CHECK_FALSE(parse_host_port(":80"));
    CHECK(parse_upstream_mode("forward") == UpstreamMode::forward);
    CHECK_FALSE(parse_upstream_mode("sometimes"));
}

TEST_CASE("config: absolute-form targets split into authority and origin form") {
    auto a = parse_absolute_url("http://example.com/x?y=1");
    REQUIRE(a);
    CHECK(a->authority.str() == "example.com:80");
    CHECK(a->origin_form == "/x?y=1");
    auto b = parse_absolute_url("HTTP://127.0.0.1:8081");
    REQUIRE(b);
    CHECK(b->authority.port == 8081);
    CHECK(b->origin_form == "/");
    auto c = parse_absolute_url("http://[::1]:9/?q");
    REQUIRE(c);
    CHECK(c->authority.host == "::1");
    CHECK(c->origin_form == "/?q");
    CHECK(parse_absolute_url("http://[::1]/")->authority.port == 80);
    CHECK_FALSE(parse_absolute_url("/relative"));
    CHECK_FALSE(parse_absolute_url("https://example.com/"));
    CHECK_FALSE(parse_absolute_url("http://user@example.com/"));
    CHECK_FALSE(parse_absolute_url("http:///path"));
}

TEST_CASE("config: Basic proxy credentials are compared exactly") {
    CHECK(proxy_credentials_match("Basic dXNlcjpwYXNz", "user:pass"));
    CHECK(proxy_credentials_match("basic  dXNlcjpwYXNz", "user:pass"));
    CHECK_FALSE(proxy_credentials_match("Basic dXNlcjpwYXNy", "user:pass"));
    CHECK_FALSE(proxy_credentials_match("Bearer dXNlcjpwYXNz", "user:pass"));
    CHECK_FALSE(proxy_credentials_match("", "user:pass"));
}
