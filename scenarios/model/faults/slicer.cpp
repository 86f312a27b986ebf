#include "scenarios/model/faults/slicer.hpp"

#include "scenarios/model/units.hpp"

namespace tlsfault::scenarios {

SlicerSettings FaultTraits<SlicerSettings>::parse(const MapReader& m) {
    SlicerSettings s;
    if (m.require("average_size")) {
        if (auto size = read_size(m.get("average_size"), m.path("average_size"), m.diag())) {
            if (*size == 0) m.diag().error(m.get("average_size"), m.path("average_size"), "must be at least 1 byte");
            s.average_size = *size;
        }
    }
    if (m.has("size_variation")) {
        s.size_variation = read_size(m.get("size_variation"), m.path("size_variation"), m.diag()).value_or(0);
        if (s.average_size > 0 && s.size_variation >= s.average_size)
            m.diag().error(m.get("size_variation"), m.path("size_variation"), "must be less than average_size");
    }
    if (m.has("delay")) s.delay = read_duration(m.get("delay"), m.path("delay"), m.diag()).value_or(s.delay);
    return s;
}

std::string FaultTraits<SlicerSettings>::describe(const SlicerSettings& s) {
    std::string out = "slicer " + format_size(s.average_size);
    if (s.size_variation) out += " ± " + format_size(s.size_variation);
    if (s.delay.count() > 0) out += ", " + format_duration(s.delay) + " apart";
    return out;
}

}  // namespace tlsfault::scenarios
