#include "scenarios/model/faults/limit_data.hpp"

namespace tlsfault::scenarios {

LimitDataSettings parse_limit_data(const MapReader& m) {
    LimitDataSettings s;
    if (m.require("bytes")) s.bytes = read_size(m.get("bytes"), m.path("bytes"), m.diag()).value_or(s.bytes);
    return s;
}

}  // namespace tlsfault::scenarios
