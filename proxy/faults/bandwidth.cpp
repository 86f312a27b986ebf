// bandwidth: bytes leave at no more than the rate (Toxiproxy `bandwidth`).
// Pacing by a running clock: each piece may leave once the previous ones have "used" their
// time at the rate. Pieces are a tenth of a second's worth, so the flow is smooth, not bursty.
#include "proxy/faults/tcp_fault.hpp"

#include "scenarios/model/faults/bandwidth.hpp"

#include <algorithm>

namespace tlsfault::proxy::faults {
namespace {

class BandwidthFault final : public FaultWith<scenarios::BandwidthSettings> {
public:
    using FaultWith::FaultWith;

    net::awaitable<bool> pass(Chunk chunk, const Next& next) override {
        const std::size_t piece_size = std::max<std::uint64_t>(1, settings_.bytes_per_second / 10);
        auto bytes = chunk.bytes;
        while (!bytes.empty()) {
            auto piece = bytes.first(std::min(piece_size, bytes.size()));
            bytes = bytes.subspan(piece.size());
            auto now = Clock::now();
            if (free_at_ < now) free_at_ = now;  // an idle spell earns no burst
            co_await context_.wait_until(free_at_);
            free_at_ += std::chrono::duration_cast<Clock::duration>(
                std::chrono::duration<double>(static_cast<double>(piece.size()) / static_cast<double>(settings_.bytes_per_second)));
            if (!co_await next(Chunk{piece, chunk.arrived})) co_return false;
        }
        co_return true;
    }

private:
    Clock::time_point free_at_{};
};

}  // namespace

template <>
std::unique_ptr<TcpFault> make_link(const scenarios::BandwidthSettings& settings, FaultContext& context) {
    return std::make_unique<BandwidthFault>(settings, context);
}

}  // namespace tlsfault::proxy::faults
