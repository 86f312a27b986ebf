#include "scenarios/model/faults/handshake_close.hpp"

namespace tlsfault::scenarios {

HandshakeCloseSettings FaultTraits<HandshakeCloseSettings>::parse(const MapReader&) { return {}; }

std::string FaultTraits<HandshakeCloseSettings>::describe(const HandshakeCloseSettings&) {
    return "close (FIN, no alert) after the ClientHello";
}

bool FaultTraits<HandshakeCloseSettings>::ends_connection(const HandshakeCloseSettings&) { return true; }

}  // namespace tlsfault::scenarios
