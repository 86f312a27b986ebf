// The chain mechanics shared by every tcp fault: the per-direction timer, the reproducible
// random draws, and passing a chunk from one fault to the next and finally to the socket.
#include "proxy/faults/tcp_fault.hpp"

#include "scenarios/model/sequence.hpp"

#include <boost/asio/write.hpp>

namespace tlsfault::proxy::faults {

FaultContext::FaultContext(net::any_io_executor executor, std::uint64_t seed, std::string key)
    : timer_(std::move(executor)), seed_(seed), key_(std::move(key)) {}

net::awaitable<void> FaultContext::wait_until(Clock::time_point when) {
    if (stopped_ || when <= Clock::now()) co_return;
    timer_.expires_at(when);
    co_await timer_.async_wait(nothrow);  // cancelled: the connection is going away; callers go on
}

double FaultContext::uniform() { return scenarios::seeded_uniform(seed_, key_, draws_++); }

net::awaitable<bool> Next::operator()(Chunk chunk) const { return chain_.forward(index_, chunk); }

FaultChain::FaultChain(std::vector<std::unique_ptr<TcpFault>> faults, tcp::socket& sink) : faults_(std::move(faults)), sink_(sink) {}

net::awaitable<bool> FaultChain::forward(std::size_t index, Chunk chunk) {
    if (index < faults_.size()) co_return co_await faults_[index]->pass(chunk, Next(*this, index + 1));
    if (chunk.bytes.empty()) co_return true;
    auto [ec, n] = co_await net::async_write(sink_, net::buffer(chunk.bytes.data(), chunk.bytes.size()), nothrow);
    written_ += n;
    co_return !ec;
}

net::awaitable<void> FaultChain::before_close() {
    for (auto& fault : faults_) co_await fault->before_close();
}

}  // namespace tlsfault::proxy::faults
