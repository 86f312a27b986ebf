// The io_contexts that traffic connections run on: one per engine thread, each run by that thread
// alone (nginx's worker model). A connection stays on the context it was accepted onto, so its
// handlers never need a strand and never hop between threads; the listeners hand out contexts in
// turn. Before this, N threads shared one io_context with a strand per connection, and two
// threads served no more kept-alive requests than one (docs/performance.md, "--threads").
#pragma once

#include "proxy/core/net.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

namespace tlsfault::proxy {

class ConnectionContexts {
public:
    /// `main` is run by the caller of run(); threads - 1 more contexts get a thread each.
    ConnectionContexts(net::io_context& main, unsigned threads);
    ~ConnectionContexts();
    ConnectionContexts(const ConnectionContexts&) = delete;
    ConnectionContexts& operator=(const ConnectionContexts&) = delete;

    /// The executor for the next accepted connection, in turn over every context.
    net::any_io_executor next();

    /// Starts a thread per extra context; each runs until stop(). Every context, main included,
    /// gets its deadline floor (below).
    void start();
    /// Stops every extra context (from any thread) and waits for their threads; then the deadline
    /// floors go, before any context (the caller has stopped the main one).
    void stop_and_join();
    /// Destroys the extra contexts, after stop_and_join and after anything holding their
    /// sockets: the upstream pool, and the main context (an accept cancelled at shutdown waits
    /// there with its new socket). Connection frames still on them end here, recording their
    /// verdicts.
    void destroy();

private:
    std::vector<net::io_context*> all_;  ///< main first
    std::vector<std::unique_ptr<net::io_context>> extra_;
    std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running_;
    std::vector<std::thread> threads_;
    std::atomic<std::size_t> turn_{0};
    /// A timer per context that always expires within a second (and is set again). Asio re-arms
    /// its timerfd, a system call, each time a new timer becomes the context's earliest; Beast's
    /// stream deadlines arm a timer per socket operation, so on a quiet context every operation
    /// did (40,700 `timerfd_settime` for two 256 MiB downloads, one per socket operation). Behind
    /// an earlier timer they never are: one call a second instead. Deadlines do not change.
    std::vector<std::unique_ptr<net::steady_timer>> deadline_floors_;
};

}  // namespace tlsfault::proxy
