// A fault's settings in one short line ("latency 300ms ± 100ms", "blackhole until the client
// gives up"): `tlsfault explain` shows it and the run's `fault` event records it, in the same words.
#pragma once

#include "scenarios/model/faults/fault_spec.hpp"

#include <string>

namespace tlsfault::scenarios {

std::string describe(const FaultSettings& settings);

}  // namespace tlsfault::scenarios
