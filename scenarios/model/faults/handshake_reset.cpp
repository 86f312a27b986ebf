#include "scenarios/model/faults/handshake_reset.hpp"

namespace tlsfault::scenarios {

HandshakeResetSettings parse_handshake_reset(const MapReader&) { return {}; }

}  // namespace tlsfault::scenarios
