// corrupt: passes every byte on unchanged except the one at offset `after`, which is inverted.
// The chunk holding it is copied (the pump's buffer is read-only to a fault); every other chunk
// passes by reference, so the fault costs nothing once it has fired.
#include "proxy/faults/tcp_fault.hpp"

#include "scenarios/model/faults/corrupt.hpp"

#include <vector>

namespace tlsfault::proxy::faults {
namespace {

class CorruptFault final : public FaultWith<scenarios::CorruptSettings> {
public:
    using FaultWith::FaultWith;

    net::awaitable<bool> pass(Chunk chunk, const Next& next) override {
        const std::uint64_t start = passed_;
        passed_ += chunk.bytes.size();
        if (settings_.after < start || settings_.after >= passed_) co_return co_await next(chunk);
        std::vector<char> copy(chunk.bytes.begin(), chunk.bytes.end());
        copy[settings_.after - start] ^= static_cast<char>(0xff);
        co_return co_await next(Chunk{copy, chunk.arrived});
    }

private:
    std::uint64_t passed_ = 0;
};

}  // namespace

template <>
std::unique_ptr<TcpFault> make_link(const scenarios::CorruptSettings& settings, FaultContext& context) {
    return std::make_unique<CorruptFault>(settings, context);
}

}  // namespace tlsfault::proxy::faults
