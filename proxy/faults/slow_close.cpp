// slow_close: a close is passed on only after a delay (Toxiproxy `slow_close`).
// Holds a close back: the bytes before it arrive at once, the FIN only after the delay, so a
// client waiting for the end of a response without Content-Length waits that long.
#include "proxy/faults/tcp_fault.hpp"

#include "scenarios/model/faults/slow_close.hpp"

namespace tlsfault::proxy::faults {
namespace {

class SlowCloseFault final : public FaultWith<scenarios::SlowCloseSettings> {
public:
    using FaultWith::FaultWith;

    net::awaitable<bool> pass(Chunk chunk, const Next& next) override { co_return co_await next(chunk); }
    net::awaitable<void> before_close() override { co_await context_.wait_for(settings_.delay); }
};

}  // namespace

template <>
std::unique_ptr<TcpFault> make_link(const scenarios::SlowCloseSettings& settings, FaultContext& context) {
    return std::make_unique<SlowCloseFault>(settings, context);
}

}  // namespace tlsfault::proxy::faults
