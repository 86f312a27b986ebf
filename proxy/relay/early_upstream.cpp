// The early upstream connection; see early_upstream.hpp.
#include "proxy/relay/early_upstream.hpp"

#include "proxy/relay/upstream_pool.hpp"

namespace tlsfault::proxy {

EarlyUpstream::EarlyUpstream(EngineState& state, std::string key, const net::any_io_executor& executor)
    : state_(state), key_(std::move(key)), ended_(executor, net::steady_timer::time_point::max()) {}

std::shared_ptr<EarlyUpstream> EarlyUpstream::begin(EngineState& state, HostPort target, std::string name, std::string key,
                                                    const net::any_io_executor& executor) {
    std::shared_ptr<EarlyUpstream> early(new EarlyUpstream(state, std::move(key), executor));
    net::co_spawn(executor, attempt(early, std::move(target), std::move(name)), net::detached);
    return early;
}

net::awaitable<void> EarlyUpstream::attempt(std::shared_ptr<EarlyUpstream> self, HostPort target, std::string name) {
    // The pool as it is now: at shutdown it is gone before the frames still waiting here.
    self->result_ = co_await attempt_tls_upstream(self->state_, std::move(target), std::move(name), self->state_.upstream_pool, self->key_);
    self->ended_.cancel();
}

net::awaitable<TlsUpstreamAttempt> EarlyUpstream::take() {
    while (!result_) co_await ended_.async_wait(nothrow);  // cancelled (woken) when the attempt ends
    taken_ = true;
    co_return std::move(*result_);
}

EarlyUpstream::~EarlyUpstream() {
    if (taken_ || !result_ || !result_->up.stream || !state_.upstream_pool) return;
    state_.upstream_pool->give_back(key_, std::move(result_->up));
}

}  // namespace tlsfault::proxy
