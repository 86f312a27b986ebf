#include "scenarios/model/faults/handshake_reset.hpp"

namespace tlsfault::scenarios {

HandshakeResetSettings FaultTraits<HandshakeResetSettings>::parse(const MapReader&) { return {}; }

std::string FaultTraits<HandshakeResetSettings>::describe(const HandshakeResetSettings&) { return "reset after the ClientHello"; }

bool FaultTraits<HandshakeResetSettings>::ends_connection(const HandshakeResetSettings&) { return true; }

}  // namespace tlsfault::scenarios
