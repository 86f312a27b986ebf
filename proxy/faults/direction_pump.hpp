// One direction of a spliced connection: a reader that queues what arrives (stamped with its
// arrival time) and a writer that sends each chunk through the direction's fault chain. The two
// run side by side so that latency shifts a stream in time without slowing it down.
#pragma once

#include "proxy/faults/tcp_fault.hpp"

#include <deque>

namespace tlsfault::proxy::faults {

class DirectionPump {
public:
    /// Reads from `from`, writes to `to` through `faults` (each with its context in `contexts`).
    DirectionPump(tcp::socket& from, tcp::socket& to, std::vector<std::unique_ptr<FaultContext>> contexts,
                  std::vector<std::unique_ptr<TcpFault>> faults);

    /// Runs until the source ended and everything queued was written (then the faults'
    /// before_close ran, and the owner passes the close on), or until a write failed or a fault
    /// ended the direction.
    net::awaitable<void> run();

    /// Tear-down: fault waits return at once, the reader stops.
    void stop();

    /// How the direction ended.
    bool source_closed() const { return source_error_ == net::error::eof; }  ///< a FIN, passed on
    const error_code& source_error() const { return source_error_; }
    /// Non-empty when a fault ended the connection on purpose (the verdict's reason).
    std::string ended_by() const;

private:
    struct Queued {
        std::vector<char> bytes;
        Clock::time_point arrived;
    };

    net::awaitable<void> read_loop();
    net::awaitable<void> write_loop();
    static net::awaitable<void> wait(net::steady_timer& signal);

    tcp::socket& from_;
    tcp::socket& to_;
    std::vector<std::unique_ptr<FaultContext>> contexts_;
    FaultChain chain_;
    static constexpr std::size_t read_size = 16 * 1024;
    std::unique_ptr<char[]> scratch_;  ///< what each read fills; the queue keeps copies of its size
    std::deque<Queued> queue_;
    std::size_t queued_bytes_ = 0;
    bool source_done_ = false;
    bool stopped_ = false;
    error_code source_error_;
    net::steady_timer reader_signal_, writer_signal_;  ///< cancelled to wake the other loop
};

}  // namespace tlsfault::proxy::faults
