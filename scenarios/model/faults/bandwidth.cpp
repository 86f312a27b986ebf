#include "scenarios/model/faults/bandwidth.hpp"

namespace tlsfault::scenarios {

BandwidthSettings parse_bandwidth(const MapReader& m) {
    BandwidthSettings s;
    if (!m.require("rate")) return s;
    if (auto rate = read_rate(m.get("rate"), m.path("rate"), m.diag())) {
        if (*rate == 0) m.diag().error(m.get("rate"), m.path("rate"), "a rate of 0 never sends anything: use a blackhole fault");
        else s.bytes_per_second = *rate;
    }
    return s;
}

}  // namespace tlsfault::scenarios
