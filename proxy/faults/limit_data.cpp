// limit_data: the connection closes once N bytes went through (Toxiproxy `limit_data`).
// Lets exactly N bytes through, then ends the direction, which closes the connection: the
// peer sees a stream that stops mid-record (an unexpected EOF).
#include "proxy/faults/tcp_fault.hpp"

#include "scenarios/model/faults/limit_data.hpp"

#include <algorithm>

namespace tlsfault::proxy::faults {
namespace {

class LimitDataFault final : public FaultWith<scenarios::LimitDataSettings> {
public:
    using FaultWith::FaultWith;

    net::awaitable<bool> pass(Chunk chunk, const Next& next) override {
        auto allowed = std::min<std::uint64_t>(chunk.bytes.size(), settings_.bytes - passed_);
        passed_ += allowed;
        if (allowed > 0 && !co_await next(Chunk{chunk.bytes.first(allowed), chunk.arrived})) co_return false;
        if (passed_ < settings_.bytes) co_return true;
        context_.ended_by = "limit_data closed the connection after " + std::to_string(passed_) + " bytes";
        co_return false;
    }

private:
    std::uint64_t passed_ = 0;
};

}  // namespace

template <>
std::unique_ptr<TcpFault> make_link(const scenarios::LimitDataSettings& settings, FaultContext& context) {
    return std::make_unique<LimitDataFault>(settings, context);
}

}  // namespace tlsfault::proxy::faults
