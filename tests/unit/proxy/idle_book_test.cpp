// The upstream pool's bookkeeping (proxy/relay/idle_book.hpp) and key, without sockets: bounds
// per key and in total, newest-first reuse, expiry after the idle timeout.
#include "proxy/relay/idle_book.hpp"
#include "proxy/relay/upstream_pool.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::proxy;
using namespace std::chrono_literals;

namespace {
const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
}

TEST_CASE("idle book: the newest idle item of a key is handed out first, other keys untouched") {
    IdleBook<int> book(PoolLimits{4, 16, 10s});
    CHECK(book.put("a", 1, t0).empty());
    CHECK(book.put("a", 2, t0 + 1s).empty());
    CHECK(book.put("b", 3, t0 + 1s).empty());
    auto filed = t0;
    CHECK(book.take("a", t0 + 2s, &filed) == 2);
    CHECK(filed == t0 + 1s);  // when the item handed out was filed (the pool lends a fresh one unchecked)
    CHECK(book.take("a", t0 + 2s) == 1);
    CHECK_FALSE(book.take("a", t0 + 2s).has_value());
    CHECK(book.size() == 1);
    CHECK(book.take("b", t0 + 2s) == 3);
}

TEST_CASE("idle book: the per-key bound evicts that key's oldest, the total bound the pool's oldest") {
    IdleBook<int> book(PoolLimits{2, 3, 60s});
    CHECK(book.put("a", 1, t0).empty());
    CHECK(book.put("a", 2, t0 + 1s).empty());
    CHECK(book.put("a", 3, t0 + 2s) == std::vector<int>{1});
    CHECK(book.size("a") == 2);
    CHECK(book.put("b", 4, t0 + 3s).empty());
    CHECK(book.put("c", 5, t0 + 4s) == std::vector<int>{2});  // the oldest in the whole pool
    CHECK(book.size() == 3);
    CHECK(book.size("a") == 1);
}

TEST_CASE("idle book: an item past the idle timeout is never handed out and is swept on put") {
    IdleBook<int> book(PoolLimits{4, 16, 10s});
    book.put("a", 1, t0);
    CHECK_FALSE(book.take("a", t0 + 10s).has_value());
    CHECK(book.size() == 0);
    book.put("a", 2, t0);
    book.put("b", 3, t0 + 5s);
    CHECK(book.put("c", 4, t0 + 12s) == std::vector<int>{2});
    CHECK(book.size() == 2);
}

TEST_CASE("idle book: a zero bound keeps nothing") {
    IdleBook<int> book(PoolLimits{0, 16, 10s});
    CHECK(book.put("a", 1, t0) == std::vector<int>{1});
    CHECK(book.size() == 0);
}

TEST_CASE("upstream key: equal only when server, name and trust are all equal") {
    UpstreamKey base{"example.com", 443, "example.com", UpstreamVerify::system, {}};
    auto same = base;
    CHECK(base.text() == same.text());
    auto other_port = base;
    other_port.port = 8443;
    auto other_name = base;
    other_name.sni = "www.example.com";
    auto no_verify = base;
    no_verify.verify = UpstreamVerify::off;
    auto ca_a = base, ca_b = base;
    ca_a.verify = ca_b.verify = UpstreamVerify::ca_file;
    ca_a.ca_file = "/a.pem";
    ca_b.ca_file = "/b.pem";
    for (const auto* k : {&other_port, &other_name, &no_verify, &ca_a}) CHECK(k->text() != base.text());
    CHECK(ca_a.text() != ca_b.text());
}
