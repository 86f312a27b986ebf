// latency: every chunk leaves latency ± jitter after it arrived (Toxiproxy `latency`).
// Latency counts from the chunk's arrival, not from when the previous one left, so a stream
// keeps its throughput and only shifts in time (as Toxiproxy does); jitter never reorders.
#include "proxy/faults/tcp_fault.hpp"

#include "scenarios/model/faults/latency.hpp"

namespace tlsfault::proxy::faults {
namespace {

class LatencyFault final : public FaultWith<scenarios::LatencySettings> {
public:
    using FaultWith::FaultWith;

    net::awaitable<bool> pass(Chunk chunk, const Next& next) override {
        auto delay = std::chrono::duration<double, std::milli>(settings_.latency);
        if (settings_.jitter.count() > 0) delay += settings_.jitter * (2.0 * context_.uniform() - 1.0);
        auto due = chunk.arrived + std::chrono::duration_cast<Clock::duration>(delay);
        if (due < last_due_) due = last_due_;  // a smaller jitter must not overtake the chunk before
        last_due_ = due;
        co_await context_.wait_until(due);
        co_return co_await next(chunk);
    }

private:
    Clock::time_point last_due_{};
};

}  // namespace

template <>
std::unique_ptr<TcpFault> make_link(const scenarios::LatencySettings& settings, FaultContext& context) {
    return std::make_unique<LatencyFault>(settings, context);
}

}  // namespace tlsfault::proxy::faults
