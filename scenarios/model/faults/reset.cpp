#include "scenarios/model/faults/reset.hpp"

#include "scenarios/model/units.hpp"

namespace tlsfault::scenarios {

ResetSettings FaultTraits<ResetSettings>::parse(const MapReader& m) {
    ResetSettings s;
    if (m.has("timeout")) s.timeout = read_duration(m.get("timeout"), m.path("timeout"), m.diag()).value_or(s.timeout);
    return s;
}

std::string FaultTraits<ResetSettings>::describe(const ResetSettings& s) {
    return s.timeout.count() > 0 ? "reset after " + format_duration(s.timeout) : "reset at once";
}

bool FaultTraits<ResetSettings>::ends_connection(const ResetSettings& s) {
    return s.timeout.count() > 0;  // at once: the connection ends before the session starts
}

}  // namespace tlsfault::scenarios
