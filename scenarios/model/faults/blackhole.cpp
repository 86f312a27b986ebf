#include "scenarios/model/faults/blackhole.hpp"

namespace tlsfault::scenarios {

BlackholeSettings parse_blackhole(const MapReader& m) {
    BlackholeSettings s;
    if (m.has("timeout")) s.timeout = read_duration(m.get("timeout"), m.path("timeout"), m.diag()).value_or(s.timeout);
    return s;
}

}  // namespace tlsfault::scenarios
