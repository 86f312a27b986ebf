#include "scenarios/model/faults/handshake_stall.hpp"

#include "scenarios/model/units.hpp"

#include <utility>

namespace tlsfault::scenarios {
namespace {

constexpr NameTable<HandshakeStallSettings::Then, 2> then_names{{
    {HandshakeStallSettings::Then::resume, "resume"},
    {HandshakeStallSettings::Then::close, "close"},
}};

}  // namespace

HandshakeStallSettings FaultTraits<HandshakeStallSettings>::parse(const MapReader& m) {
    HandshakeStallSettings s;
    if (m.require("duration")) s.duration = read_duration(m.get("duration"), m.path("duration"), m.diag()).value_or(s.duration);
    if (m.has("then")) s.then = read_enum(m.get("then"), m.path("then"), m.diag(), then_names, "stall ending").value_or(s.then);
    return s;
}

std::string FaultTraits<HandshakeStallSettings>::describe(const HandshakeStallSettings& s) {
    return "stall " + format_duration(s.duration) + ", then " + (s.then == HandshakeStallSettings::Then::resume ? "resume" : "close");
}

}  // namespace tlsfault::scenarios
