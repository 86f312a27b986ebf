#include "scenarios/model/faults/handshake_close.hpp"

namespace tlsfault::scenarios {

HandshakeCloseSettings parse_handshake_close(const MapReader&) { return {}; }

}  // namespace tlsfault::scenarios
