// See connection_contexts.hpp.
#include "proxy/core/connection_contexts.hpp"

#include <boost/asio/executor_work_guard.hpp>

namespace tlsfault::proxy {
namespace {

/// Keeps `floor` expiring within a second for as long as its context runs (see deadline_floors_).
void keep_deadline_floor(net::steady_timer& floor) {
    floor.expires_after(std::chrono::seconds(1));
    floor.async_wait([&floor](const boost::system::error_code& ec) {
        if (!ec) keep_deadline_floor(floor);
    });
}

}  // namespace

ConnectionContexts::ConnectionContexts(net::io_context& main, unsigned threads) {
    all_.push_back(&main);
    for (unsigned i = 1; i < threads; ++i) {
        extra_.push_back(std::make_unique<net::io_context>(1));  // one thread runs it: no cross-thread hand-offs to expect
        all_.push_back(extra_.back().get());
    }
}

ConnectionContexts::~ConnectionContexts() {
    stop_and_join();
    destroy();
}

net::any_io_executor ConnectionContexts::next() {
    return all_[turn_.fetch_add(1, std::memory_order_relaxed) % all_.size()]->get_executor();
}

void ConnectionContexts::start() {
    for (net::io_context* context : all_) {
        deadline_floors_.push_back(std::make_unique<net::steady_timer>(*context));
        keep_deadline_floor(*deadline_floors_.back());
    }
    for (auto& context : extra_) {
        keep_running_.push_back(net::make_work_guard(*context));  // an idle context waits for connections
        threads_.emplace_back([c = context.get()] { c->run(); });
    }
}

void ConnectionContexts::stop_and_join() {
    keep_running_.clear();
    for (auto& context : extra_) context->stop();
    for (auto& thread : threads_) thread.join();
    threads_.clear();
    deadline_floors_.clear();  // no thread runs them now; their waits end with their contexts
}

void ConnectionContexts::destroy() {
    extra_.clear();
    all_.resize(1);
}

}  // namespace tlsfault::proxy
