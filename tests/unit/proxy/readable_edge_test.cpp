// async_wait_readable (proxy/core/readable_edge.hpp) over real loopback TCP: it completes on the
// socket's next readable edge, at once when an edge came while nothing waited, never for bytes
// already drained, and is aborted by a close or a cancellation, as Asio's async_wait is.
#include "proxy/core/readable_edge.hpp"
#include "tests/unit/proxy/loopback_pair.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <doctest/doctest.h>

#include <sys/socket.h>

#include <chrono>
#include <memory>
#include <optional>
#include <tuple>

using namespace tlsfault;
using namespace tlsfault::proxy;

namespace {

/// The server side of a loopback pair, waited on; the client side writes.
struct Pair {
    net::io_context io;
    tcp::socket client{io}, server{io};
    Pair() { std::tie(client, server) = test::loopback_pair(io); }
    /// Reads the server side until the socket is empty, as the request loop does before it waits.
    std::size_t drain() {
        char buffer[4096];
        std::size_t total = 0;
        for (;;) {
            const ssize_t n = ::recv(server.native_handle(), buffer, sizeof buffer, MSG_DONTWAIT);
            if (n <= 0) return total;
            total += static_cast<std::size_t>(n);
        }
    }
    void send(const char* text) { net::write(client, net::buffer(std::string_view(text))); }
    /// Runs what is ready now (a context that ran out of work is restarted first).
    void poll() {
        io.restart();
        io.poll();
    }
};

/// Starts a wait on the server socket; the optional holds its result once it completed.
std::shared_ptr<std::optional<error_code>> start_wait(Pair& pair) {
    auto result = std::make_shared<std::optional<error_code>>();
    test::spawn(pair.io, [](Pair& p, std::shared_ptr<std::optional<error_code>> out) -> net::awaitable<void> {
        auto [ec] = co_await async_wait_readable(p.server, nothrow);
        *out = ec;
    }(pair, result));
    return result;
}

/// Runs the context until the wait completed or a second passes.
void run_until(Pair& pair, const std::shared_ptr<std::optional<error_code>>& result) {
    test::run_until(
        pair.io, [&] { return result->has_value(); }, std::chrono::seconds(1));
}

/// Starts a wait, checks that it waits, sends `text` from the client side: what the wait completes with.
error_code wait_for_bytes(Pair& pair, const char* text) {
    auto waited = start_wait(pair);
    pair.poll();
    CHECK_FALSE(waited->has_value());
    pair.send(text);
    run_until(pair, waited);
    REQUIRE(waited->has_value());
    return **waited;
}

/// What a wait on the server side completes with when `side` (either end) is closed during it.
error_code wait_across_close(Pair& pair, tcp::socket& side) {
    auto waited = start_wait(pair);
    pair.poll();
    side.close();
    run_until(pair, waited);
    REQUIRE(waited->has_value());
    return **waited;
}

}  // namespace

TEST_CASE("async_wait_readable completes when bytes arrive, not before") {
    Pair pair;
    const error_code ec = wait_for_bytes(pair, "GET");
    CHECK_MESSAGE(!ec, ec.message());
    CHECK(pair.drain() == 3);
}

TEST_CASE("after a drained read the next wait waits for new bytes, and bytes that came meanwhile complete it at once") {
    Pair pair;
    CHECK(!wait_for_bytes(pair, "one"));
    pair.send("two");  // its edge is seen while nothing waits; drained with the first bytes
    pair.poll();
    CHECK(pair.drain() == 6);
    // Drained: the wait looks (a peek), finds nothing, and waits for an edge.
    CHECK(!wait_for_bytes(pair, "three"));
    CHECK(pair.drain() == 5);
    // After a completion on an edge and a drain, the next wait queues and waits too.
    CHECK(!wait_for_bytes(pair, "four"));

    // Bytes not drained, their edge already seen: the next wait completes at once.
    pair.send("five");
    pair.poll();
    auto waited = start_wait(pair);
    run_until(pair, waited);
    REQUIRE(waited->has_value());
    CHECK(!**waited);
    CHECK(pair.drain() == 8);
}

TEST_CASE("async_wait_readable: a close aborts the wait, as does a cancellation, and the peer's close is readable") {
    SUBCASE("the socket closed while waiting") {
        Pair pair;
        CHECK(wait_across_close(pair, pair.server) == net::error::operation_aborted);
    }
    SUBCASE("cancelled by a timer that won a parallel group; the socket still works") {
        using namespace net::experimental::awaitable_operators;
        Pair pair;
        std::optional<std::size_t> winner;
        test::spawn(pair.io, [](Pair& p, std::optional<std::size_t>& out) -> net::awaitable<void> {
            net::steady_timer timer(p.io, std::chrono::milliseconds(20));
            auto which = co_await (async_wait_readable(p.server, nothrow_awaitable) || timer.async_wait(nothrow_awaitable));
            out = which.index();
        }(pair, winner));
        test::run_until(
            pair.io, [&] { return winner.has_value(); }, std::chrono::seconds(1));
        REQUIRE(winner.has_value());
        CHECK(*winner == 1);
        auto waited = start_wait(pair);
        pair.send("x");
        run_until(pair, waited);
        REQUIRE(waited->has_value());
        CHECK(!**waited);
    }
    SUBCASE("the peer closed: readable, and the read finds the end") {
        Pair pair;
        CHECK(!wait_across_close(pair, pair.client));
        char byte;
        CHECK(::recv(pair.server.native_handle(), &byte, 1, MSG_DONTWAIT) == 0);
    }
}
