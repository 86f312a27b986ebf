#include "scenarios/model/faults/latency.hpp"

#include "scenarios/model/units.hpp"

namespace tlsfault::scenarios {

LatencySettings FaultTraits<LatencySettings>::parse(const MapReader& m) {
    LatencySettings s;
    if (m.has("latency")) s.latency = read_duration(m.get("latency"), m.path("latency"), m.diag()).value_or(s.latency);
    if (m.has("jitter")) s.jitter = read_duration(m.get("jitter"), m.path("jitter"), m.diag()).value_or(s.jitter);
    return s;
}

std::string FaultTraits<LatencySettings>::describe(const LatencySettings& s) {
    std::string out = "latency " + format_duration(s.latency);
    if (s.jitter.count() > 0) out += " ± " + format_duration(s.jitter);
    return out;
}

}  // namespace tlsfault::scenarios
