#include "scenarios/model/faults/reset.hpp"

namespace tlsfault::scenarios {

ResetSettings parse_reset(const MapReader& m) {
    ResetSettings s;
    if (m.has("timeout")) s.timeout = read_duration(m.get("timeout"), m.path("timeout"), m.diag()).value_or(s.timeout);
    return s;
}

}  // namespace tlsfault::scenarios
