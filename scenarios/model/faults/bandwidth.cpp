#include "scenarios/model/faults/bandwidth.hpp"

#include "scenarios/model/units.hpp"

namespace tlsfault::scenarios {

BandwidthSettings FaultTraits<BandwidthSettings>::parse(const MapReader& m) {
    BandwidthSettings s;
    if (!m.require("rate")) return s;
    if (auto rate = read_rate(m.get("rate"), m.path("rate"), m.diag())) {
        if (*rate == 0)
            m.diag().error(m.get("rate"), m.path("rate"), "a rate of 0 never sends anything: use a blackhole fault");
        else
            s.bytes_per_second = *rate;
    }
    return s;
}

std::string FaultTraits<BandwidthSettings>::describe(const BandwidthSettings& s) {
    return "bandwidth " + format_size(s.bytes_per_second) + "/s";
}

}  // namespace tlsfault::scenarios
