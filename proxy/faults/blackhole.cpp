#include "proxy/faults/blackhole.hpp"

#include "proxy/faults/tcp_fault.hpp"

#include "scenarios/model/units.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>

#include <cstdio>
#include <memory>

namespace tlsfault::proxy::faults {
namespace {

struct Drained {
    error_code ec;
    std::uint64_t bytes = 0;
};

net::awaitable<void> drain(tcp::socket& client, Drained& result) {
    auto scratch = std::make_unique<char[]>(16 * 1024);
    for (;;) {
        auto [ec, n] = co_await client.async_read_some(net::buffer(scratch.get(), 16 * 1024), nothrow);
        result.bytes += n;
        if (ec) {
            result.ec = ec;
            co_return;
        }
    }
}

std::string seconds_text(Clock::duration d) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", std::chrono::duration<double>(d).count());
    return text;
}

}  // namespace

net::awaitable<Verdict> hold_in_blackhole(tcp::socket& client, const scenarios::BlackholeSettings& settings, std::chrono::milliseconds cap,
                                          Phase phase) {
    using namespace net::experimental::awaitable_operators;
    const auto start = Clock::now();
    const auto limit = settings.timeout.count() > 0 ? settings.timeout : cap;
    net::steady_timer deadline(client.get_executor(), limit);
    Drained drained;
    // Whichever ends first: the client gives up (the read fails), or the deadline.
    auto which = co_await (drain(client, drained) || deadline.async_wait(nothrow_awaitable));
    const std::string dropped = std::to_string(drained.bytes) + " bytes dropped";
    Verdict v;
    v.phase = phase;
    if (which.index() == 0) {
        v.outcome = Outcome::timeout;
        v.reason = "blackholed: the client gave up after " + seconds_text(Clock::now() - start) + " (" +
                   (drained.ec == net::error::eof ? "FIN" : drained.ec.message()) + "), " + dropped;
    } else {
        v.outcome = Outcome::aborted;
        v.reason = "blackholed: closed by tlsfault after " + scenarios::format_duration(limit) + ", " + dropped;
    }
    error_code ignored;
    client.shutdown(tcp::socket::shutdown_both, ignored);
    client.close(ignored);
    co_return v;
}

}  // namespace tlsfault::proxy::faults
