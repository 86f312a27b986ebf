// latency: every chunk leaves latency ± jitter after it arrived (Toxiproxy `latency`).
#pragma once

#include "proxy/faults/tcp_fault.hpp"

#include "scenarios/model/faults/latency.hpp"

namespace tlsfault::proxy::faults {

std::unique_ptr<TcpFault> make_latency_fault(const scenarios::LatencySettings& settings, FaultContext& context);

}  // namespace tlsfault::proxy::faults
