#include "scenarios/model/faults/handshake_stall.hpp"

#include <utility>

namespace tlsfault::scenarios {
namespace {

constexpr std::pair<std::string_view, HandshakeStallSettings::Then> then_names[] = {
    {"resume", HandshakeStallSettings::Then::resume},
    {"close", HandshakeStallSettings::Then::close},
};

}  // namespace

HandshakeStallSettings parse_handshake_stall(const MapReader& m) {
    HandshakeStallSettings s;
    if (m.require("duration")) s.duration = read_duration(m.get("duration"), m.path("duration"), m.diag()).value_or(s.duration);
    if (m.has("then"))
        s.then = read_enum(m.get("then"), m.path("then"), m.diag(), then_names, "stall ending").value_or(s.then);
    return s;
}

}  // namespace tlsfault::scenarios
