#include "scenarios/model/faults/slow_close.hpp"

#include "scenarios/model/units.hpp"

namespace tlsfault::scenarios {

SlowCloseSettings FaultTraits<SlowCloseSettings>::parse(const MapReader& m) {
    SlowCloseSettings s;
    if (m.require("delay")) s.delay = read_duration(m.get("delay"), m.path("delay"), m.diag()).value_or(s.delay);
    return s;
}

std::string FaultTraits<SlowCloseSettings>::describe(const SlowCloseSettings& s) { return "slow_close " + format_duration(s.delay); }

}  // namespace tlsfault::scenarios
