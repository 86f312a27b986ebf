// Connected TCP socket pairs on 127.0.0.1 (port 0) for unit tests of proxy code that reads and
// writes sockets, and a way to run an io_context until a condition holds, with a deadline.
#pragma once

#include "proxy/core/net.hpp"

#include <chrono>
#include <functional>
#include <utility>

namespace tlsfault::test {

/// Two connected loopback TCP sockets (`first` connected, `second` accepted). `buffer_bytes`,
/// when set, fixes both sockets' send and receive buffers (no autotuning), so a test can bound
/// how much the kernel holds.
std::pair<proxy::tcp::socket, proxy::tcp::socket> loopback_pair(proxy::net::io_context& ioc, int buffer_bytes = 0);

/// Runs `ioc` in short slices until `done()` holds or `deadline` passes; returns done().
bool run_until(proxy::net::io_context& ioc, const std::function<bool()>& done,
               std::chrono::milliseconds deadline = std::chrono::seconds(10));

/// Spawns `task` on `ioc`, rethrowing anything it throws from the next run call.
void spawn(proxy::net::io_context& ioc, proxy::net::awaitable<void> task);

}  // namespace tlsfault::test
