// limit_data: the connection closes once N bytes went through (Toxiproxy `limit_data`).
#pragma once

#include "proxy/faults/tcp_fault.hpp"

#include "scenarios/model/faults/limit_data.hpp"

namespace tlsfault::proxy::faults {

std::unique_ptr<TcpFault> make_limit_data_fault(const scenarios::LimitDataSettings& settings, FaultContext& context);

}  // namespace tlsfault::proxy::faults
