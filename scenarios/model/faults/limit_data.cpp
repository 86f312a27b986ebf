#include "scenarios/model/faults/limit_data.hpp"

#include "scenarios/model/units.hpp"

namespace tlsfault::scenarios {

LimitDataSettings FaultTraits<LimitDataSettings>::parse(const MapReader& m) {
    LimitDataSettings s;
    if (m.require("bytes")) s.bytes = read_size(m.get("bytes"), m.path("bytes"), m.diag()).value_or(s.bytes);
    return s;
}

std::string FaultTraits<LimitDataSettings>::describe(const LimitDataSettings& s) { return "limit_data " + format_size(s.bytes); }

bool FaultTraits<LimitDataSettings>::ends_connection(const LimitDataSettings&) { return true; }

}  // namespace tlsfault::scenarios
