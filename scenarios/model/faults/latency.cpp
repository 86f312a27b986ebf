#include "scenarios/model/faults/latency.hpp"

namespace tlsfault::scenarios {

LatencySettings parse_latency(const MapReader& m) {
    LatencySettings s;
    if (m.has("latency")) s.latency = read_duration(m.get("latency"), m.path("latency"), m.diag()).value_or(s.latency);
    if (m.has("jitter")) s.jitter = read_duration(m.get("jitter"), m.path("jitter"), m.diag()).value_or(s.jitter);
    return s;
}

}  // namespace tlsfault::scenarios
