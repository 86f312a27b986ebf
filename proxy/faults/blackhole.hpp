// blackhole: the connection is accepted and never answered; whatever the client sends is read
// and dropped. It replaces the whole session, so it runs before any splice.
#pragma once

#include "proxy/core/net.hpp"
#include "proxy/core/verdict.hpp"

#include "scenarios/model/faults/blackhole.hpp"

#include <chrono>
#include <string>

namespace tlsfault::proxy::faults {

/// Holds `client` until it gives up or the blackhole's timeout passes (a timeout of 0 means
/// `cap`, so that no connection is held forever). The verdict says which: a client that gave up
/// is `timeout` (its own timeout fired), one tlsfault closed is `aborted`.
net::awaitable<Verdict> hold_in_blackhole(tcp::socket& client, const scenarios::BlackholeSettings& settings, std::chrono::milliseconds cap,
                                          Phase phase);

}  // namespace tlsfault::proxy::faults
