// slow_close: a close is passed on only after a delay (Toxiproxy `slow_close`).
#pragma once

#include "proxy/faults/tcp_fault.hpp"

#include "scenarios/model/faults/slow_close.hpp"

namespace tlsfault::proxy::faults {

std::unique_ptr<TcpFault> make_slow_close_fault(const scenarios::SlowCloseSettings& settings, FaultContext& context);

}  // namespace tlsfault::proxy::faults
