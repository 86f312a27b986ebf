// Who may be reached through CONNECT: --allow-connect globs, tlsfault's own listeners never, and
// the start-up warning for an explicit proxy open beyond loopback without --proxy-auth.
#include "proxy/core/engine_config.hpp"
#include "proxy/core/own_listeners.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::proxy;

namespace {

tlsfault::scenarios::Glob glob(const std::string& pattern) {
    std::string error;
    auto g = tlsfault::scenarios::Glob::compile(pattern, true, error);
    REQUIRE_MESSAGE(g, error);
    return *g;
}

}  // namespace

TEST_CASE("connect policy: without --allow-connect any target, with it only its host:port globs") {
    EngineConfig config;
    CHECK(connect_allowed(config, {"anything.test", 8443}));
    config.allow_connect = {glob("*.lab.test:443"), glob("10.0.0.*:*")};
    CHECK(connect_allowed(config, {"API.Lab.Test", 443}));
    CHECK_FALSE(connect_allowed(config, {"api.lab.test", 8443}));
    CHECK(connect_allowed(config, {"10.0.0.7", 22}));
    CHECK_FALSE(connect_allowed(config, {"example.test", 443}));
}

TEST_CASE("connect policy: tlsfault's own listeners, by literal, localhost, or behind a wildcard bind") {
    OwnListeners own;
    own.add(ListenerKind::proxy, {"127.0.0.1", 8080});
    own.add(ListenerKind::sni, {"0.0.0.0", 8443});
    own.add(ListenerKind::revocation, {"::1", 8082});
    CHECK(own.named_by({"127.0.0.1", 8080}));
    CHECK(own.named_by({"LOCALHOST.", 8080}));
    CHECK_FALSE(own.named_by({"127.0.0.2", 8080}));  // not where it listens
    CHECK(own.named_by({"127.0.0.9", 8443}));        // 0.0.0.0 is reached through any loopback address
    CHECK(own.named_by({"::1", 8082}));
    CHECK(own.named_by({"localhost", 8082}));
    CHECK_FALSE(own.named_by({"example.test", 8080}));  // a name is checked once resolved, at connect time
    CHECK_FALSE(own.named_by({"127.0.0.1", 9999}));
    // The revocation server by kind: what the explicit proxy passes to it in every upstream mode.
    CHECK(own.named_by({"localhost", 8082}, ListenerKind::revocation));
    CHECK_FALSE(own.named_by({"127.0.0.1", 8080}, ListenerKind::revocation));
}

TEST_CASE("connect policy: an explicit proxy beyond loopback without --proxy-auth is warned about") {
    EngineConfig config;
    CHECK(proxy_exposure_warning(config).empty());  // 127.0.0.1:8080
    config.proxy_listen = HostPort{"::1", 8080};
    CHECK(proxy_exposure_warning(config).empty());
    config.proxy_listen = HostPort{"0.0.0.0", 8080};
    CHECK(proxy_exposure_warning(config).find("WARNING") != std::string::npos);
    CHECK(proxy_exposure_warning(config).find("0.0.0.0:8080 without --proxy-auth") != std::string::npos);
    config.proxy_auth = "lab:secret";
    CHECK(proxy_exposure_warning(config).empty());
    config.proxy_auth.reset();
    config.proxy_listen.reset();
    CHECK(proxy_exposure_warning(config).empty());
}
