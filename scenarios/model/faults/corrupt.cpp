#include "scenarios/model/faults/corrupt.hpp"

#include "scenarios/model/units.hpp"

namespace tlsfault::scenarios {

CorruptSettings FaultTraits<CorruptSettings>::parse(const MapReader& m) {
    CorruptSettings s;
    if (m.require("after")) s.after = read_size(m.get("after"), m.path("after"), m.diag()).value_or(s.after);
    return s;
}

std::string FaultTraits<CorruptSettings>::describe(const CorruptSettings& s) { return "corrupt the byte after " + format_size(s.after); }

}  // namespace tlsfault::scenarios
