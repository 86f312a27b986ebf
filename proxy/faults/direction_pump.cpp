#include "proxy/faults/direction_pump.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

namespace tlsfault::proxy::faults {
namespace {

constexpr std::size_t max_queued = 256 * 1024;  // beyond this the reader waits: memory stays bounded

}  // namespace

DirectionPump::DirectionPump(tcp::socket& from, tcp::socket& to, std::vector<std::unique_ptr<FaultContext>> contexts,
                             std::vector<std::unique_ptr<TcpFault>> faults)
    : from_(from),
      to_(to),
      contexts_(std::move(contexts)),
      chain_(std::move(faults), to),
      scratch_(new char[read_size]),
      reader_signal_(from.get_executor(), Clock::time_point::max()),
      writer_signal_(from.get_executor(), Clock::time_point::max()) {}

net::awaitable<void> DirectionPump::run() {
    using namespace net::experimental::awaitable_operators;
    co_await (read_loop() && write_loop());
}

void DirectionPump::stop() {
    stopped_ = true;
    for (auto& context : contexts_) context->stop();
    reader_signal_.cancel();
    writer_signal_.cancel();
    error_code ignored;
    from_.cancel(ignored);
}

std::string DirectionPump::ended_by() const {
    for (const auto& context : contexts_)
        if (!context->ended_by.empty()) return context->ended_by;
    return {};
}

// Both loops run on one strand: a signal can only be sent while the other loop is suspended in
// its wait, so checking the condition and then waiting never misses a wake-up.
net::awaitable<void> DirectionPump::wait(net::steady_timer& signal) { co_await signal.async_wait(nothrow); }

net::awaitable<void> DirectionPump::read_loop() {
    while (!stopped_) {
        if (queued_bytes_ >= max_queued) {
            co_await wait(reader_signal_);
            continue;
        }
        auto [ec, n] = co_await from_.async_read_some(net::buffer(scratch_.get(), read_size), nothrow);
        if (n > 0) {
            // Queued at its own size: the 16 KB read buffer is reused, not zeroed and kept per chunk.
            queued_bytes_ += n;
            queue_.push_back({std::vector<char>(scratch_.get(), scratch_.get() + n), Clock::now()});
        }
        if (ec) {
            source_error_ = ec;
            source_done_ = true;
        }
        writer_signal_.cancel();
        if (ec) break;
    }
}

net::awaitable<void> DirectionPump::write_loop() {
    for (;;) {
        if (queue_.empty() && !source_done_ && !stopped_) {
            co_await wait(writer_signal_);
            continue;
        }
        if (queue_.empty() || stopped_) break;
        Queued chunk = std::move(queue_.front());
        queue_.pop_front();
        bool more = co_await chain_.pass(Chunk{chunk.bytes, chunk.arrived});
        queued_bytes_ -= chunk.bytes.size();
        reader_signal_.cancel();
        if (!more) {
            stop();
            co_return;
        }
    }
    if (stopped_ || !source_closed()) co_return;
    co_await chain_.before_close();  // the owner then passes the close on (a FIN, or a reset)
}

}  // namespace tlsfault::proxy::faults
