// One HTTP connection to the revocation listener: read requests, answer each from the
// RevocationService (after a delay, or never), and log every fetch linked to its TLS connection.
#pragma once

#include "proxy/events/event_log.hpp"
#include "proxy/core/net.hpp"
#include "proxy/revocation/revocation_service.hpp"

#include <atomic>
#include <chrono>

namespace tlsfault::proxy {

struct RevocationContext {
    RevocationService& service;
    EventLog& log;
    std::chrono::milliseconds header_timeout{10'000};
    /// How long a blackholed request is held before tlsfault closes it (clients usually give up first).
    std::chrono::milliseconds blackhole_hold{120'000};
    std::atomic<std::uint64_t> fetches{0};
    /// Fetches held open (slow-<N>s, blackhole) at most at once; one more is answered 503 at
    /// once, so held fetches cannot use up the process's file descriptors.
    int max_held = 64;
    std::atomic<int> held{0};
};

net::awaitable<void> serve_revocation_connection(RevocationContext& context, tcp::socket socket);

}  // namespace tlsfault::proxy
