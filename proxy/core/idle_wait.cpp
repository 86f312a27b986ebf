// The wait between requests; see idle_wait.hpp.
#include "proxy/core/idle_wait.hpp"

#include <boost/asio/steady_timer.hpp>

namespace tlsfault::proxy {

using Clock = IdleWatch::Clock;

struct IdleWatch::Shared {
    Shared(beast::tcp_stream& s, std::chrono::milliseconds i) : stream(&s), idle(i), timer(s.get_executor()) {}
    beast::tcp_stream* stream;  ///< nullptr once the watch ended
    std::chrono::milliseconds idle;
    net::steady_timer timer;  ///< on the connection's executor: its handler never runs beside the connection's code
    Clock::time_point due;    ///< when the current wait ends unless bytes came
    bool waiting = false, armed = false, expired = false;
};

IdleWatch::IdleWatch(beast::tcp_stream& stream, std::chrono::milliseconds idle) : shared_(std::make_shared<Shared>(stream, idle)) {}

IdleWatch::~IdleWatch() {
    shared_->stream = nullptr;
    shared_->timer.cancel();
}

void IdleWatch::arm(const std::shared_ptr<Shared>& shared, Clock::time_point at) {
    shared->armed = true;
    shared->timer.expires_at(at);
    shared->timer.async_wait([shared](const error_code& ec) {
        shared->armed = false;
        // Not waiting: the connection is busy, and its next wait arms the timer again.
        if (ec || !shared->stream || !shared->waiting) return;
        if (Clock::now() < shared->due) return arm(shared, shared->due);  // an earlier wait's deadline: this wait's is later
        shared->expired = true;
        shared->stream->close();  // ends the socket wait with operation_aborted
    });
}

void IdleWatch::begin(Clock::time_point due) {
    Shared& s = *shared_;
    s.due = due;
    s.waiting = true;
    s.expired = false;
    if (!s.armed) arm(shared_, due);
}

bool IdleWatch::readable(const error_code& wait_ec) {
    shared_->waiting = false;
    return !wait_ec && !shared_->expired;
}

bool IdleWatch::expired() const { return shared_->expired; }

std::chrono::milliseconds IdleWatch::limit() const { return shared_->idle; }

}  // namespace tlsfault::proxy
