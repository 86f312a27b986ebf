// The runtime side of the `tcp` faults (Toxiproxy parity). A faulted connection is spliced
// (fault_splice.hpp): client socket <-> one pump per direction <-> a socket pair <-> the
// session, which runs unchanged. Each direction passes its chunks through that direction's
// faults in rule order, like Toxiproxy's toxic chain; every chain kind is one .cpp here that
// defines make_link for its settings (fault_kinds.hpp finds it through the FaultSettings variant).
#pragma once

#include "proxy/core/net.hpp"

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace tlsfault::proxy::faults {

using Clock = std::chrono::steady_clock;

/// Bytes read from one side, on their way to the other.
struct Chunk {
    std::span<const char> bytes;
    Clock::time_point arrived;  ///< when the pump read them: latency counts from here, so delays do not add up
};

/// What a fault may use besides passing bytes on: its direction's timer, reproducible random
/// numbers, and a way to say why it ended the connection.
class FaultContext {
public:
    /// `seed` and `key` (rule, fault, attempt) make the random draws replayable.
    FaultContext(net::any_io_executor executor, std::uint64_t seed, std::string key);

    /// Returns at `when`, or at once once stop() was called.
    net::awaitable<void> wait_until(Clock::time_point when);
    net::awaitable<void> wait_for(Clock::duration how_long) { return wait_until(Clock::now() + how_long); }
    /// The connection is being torn down: ends the pending wait and makes later ones return at once.
    void stop() {
        stopped_ = true;
        timer_.cancel();
    }

    /// The next number in [0, 1) of this fault's reproducible sequence.
    double uniform();

    /// Set by a fault that ends the connection on purpose (limit_data): the verdict's reason.
    std::string ended_by;

private:
    net::steady_timer timer_;
    std::uint64_t seed_;
    std::string key_;
    std::uint64_t draws_ = 0;
    bool stopped_ = false;
};

class FaultChain;

/// The rest of the chain after one fault: what the fault calls to pass bytes on.
class Next {
public:
    Next(FaultChain& chain, std::size_t index) : chain_(chain), index_(index) {}
    /// False: the direction is over (the far side failed, or a later fault closed it).
    net::awaitable<bool> operator()(Chunk chunk) const;

private:
    FaultChain& chain_;
    std::size_t index_;
};

/// One fault acting on one direction of the byte stream.
class TcpFault {
public:
    virtual ~TcpFault() = default;
    /// Passes one chunk on through `next`: later, in pieces, or cut short. False ends the
    /// direction and closes the connection (a limit reached, or the far side gone).
    virtual net::awaitable<bool> pass(Chunk chunk, const Next& next) = 0;
    /// The side this direction reads from closed: runs before the close is passed on.
    virtual net::awaitable<void> before_close() { co_return; }
};

/// What every fault kind starts from: its parsed settings and its direction's context.
template <class Settings>
class FaultWith : public TcpFault {
public:
    FaultWith(const Settings& settings, FaultContext& context) : settings_(settings), context_(context) {}

protected:
    Settings settings_;
    FaultContext& context_;
};

/// The chain link for one fault of a chain kind. Declared only: each chain kind's runtime file
/// (proxy/faults/<kind>.cpp) defines the specialisation for its settings, so a kind declared
/// FaultRole::chain without one fails at link time, never at run time.
template <class Settings>
std::unique_ptr<TcpFault> make_link(const Settings& settings, FaultContext& context);

/// A direction's faults in rule order, ending in the socket the bytes are written to.
class FaultChain {
public:
    FaultChain(std::vector<std::unique_ptr<TcpFault>> faults, tcp::socket& sink);
    /// Sends `chunk` through every fault, then writes what comes out to the sink.
    net::awaitable<bool> pass(Chunk chunk) { return forward(0, chunk); }
    /// Each fault's before_close, in order.
    net::awaitable<void> before_close();
    std::uint64_t written() const { return written_; }

private:
    friend class Next;
    net::awaitable<bool> forward(std::size_t index, Chunk chunk);

    std::vector<std::unique_ptr<TcpFault>> faults_;
    tcp::socket& sink_;
    std::uint64_t written_ = 0;
};

}  // namespace tlsfault::proxy::faults
