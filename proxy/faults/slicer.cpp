// slicer: each chunk leaves in small slices, a delay apart (Toxiproxy `slicer`).
// Each slice is passed on by itself, so the peer's reads return partial records: the bug this
// finds is a client that assumes one read() is one TLS record or one HTTP message.
#include "proxy/faults/tcp_fault.hpp"

#include "scenarios/model/faults/slicer.hpp"

#include <algorithm>
#include <cmath>

namespace tlsfault::proxy::faults {
namespace {

class SlicerFault final : public FaultWith<scenarios::SlicerSettings> {
public:
    using FaultWith::FaultWith;

    net::awaitable<bool> pass(Chunk chunk, const Next& next) override {
        auto bytes = chunk.bytes;
        bool first = true;
        while (!bytes.empty()) {
            if (!first && settings_.delay.count() > 0) co_await context_.wait_for(settings_.delay);
            first = false;
            auto slice = bytes.first(std::min<std::size_t>(slice_size(), bytes.size()));
            bytes = bytes.subspan(slice.size());
            if (!co_await next(Chunk{slice, chunk.arrived})) co_return false;
        }
        co_return true;
    }

private:
    std::size_t slice_size() {
        double variation = static_cast<double>(settings_.size_variation) * (2.0 * context_.uniform() - 1.0);
        return static_cast<std::size_t>(std::max(1.0, std::round(static_cast<double>(settings_.average_size) + variation)));
    }
};

}  // namespace

template <>
std::unique_ptr<TcpFault> make_link(const scenarios::SlicerSettings& settings, FaultContext& context) {
    return std::make_unique<SlicerFault>(settings, context);
}

}  // namespace tlsfault::proxy::faults
