#include "scenarios/model/faults/blackhole.hpp"

#include "scenarios/model/units.hpp"

namespace tlsfault::scenarios {

BlackholeSettings FaultTraits<BlackholeSettings>::parse(const MapReader& m) {
    BlackholeSettings s;
    if (m.has("timeout")) s.timeout = read_duration(m.get("timeout"), m.path("timeout"), m.diag()).value_or(s.timeout);
    return s;
}

std::string FaultTraits<BlackholeSettings>::describe(const BlackholeSettings& s) {
    return s.timeout.count() > 0 ? "blackhole, closed after " + format_duration(s.timeout) : "blackhole until the client gives up";
}

}  // namespace tlsfault::scenarios
