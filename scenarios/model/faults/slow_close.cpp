#include "scenarios/model/faults/slow_close.hpp"

namespace tlsfault::scenarios {

SlowCloseSettings parse_slow_close(const MapReader& m) {
    SlowCloseSettings s;
    if (m.require("delay")) s.delay = read_duration(m.get("delay"), m.path("delay"), m.diag()).value_or(s.delay);
    return s;
}

}  // namespace tlsfault::scenarios
