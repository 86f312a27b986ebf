// bandwidth: bytes leave at no more than the rate (Toxiproxy `bandwidth`).
#pragma once

#include "proxy/faults/tcp_fault.hpp"

#include "scenarios/model/faults/bandwidth.hpp"

namespace tlsfault::proxy::faults {

std::unique_ptr<TcpFault> make_bandwidth_fault(const scenarios::BandwidthSettings& settings, FaultContext& context);

}  // namespace tlsfault::proxy::faults
