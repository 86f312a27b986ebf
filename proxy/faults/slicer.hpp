// slicer: each chunk leaves in small slices, a delay apart (Toxiproxy `slicer`).
#pragma once

#include "proxy/faults/tcp_fault.hpp"

#include "scenarios/model/faults/slicer.hpp"

namespace tlsfault::proxy::faults {

std::unique_ptr<TcpFault> make_slicer_fault(const scenarios::SlicerSettings& settings, FaultContext& context);

}  // namespace tlsfault::proxy::faults
