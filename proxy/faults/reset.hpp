// reset: the connection ends with a TCP RST instead of a FIN (Toxiproxy `reset_peer`). It acts
// on the whole connection, not on a direction's bytes, so it is a timer in the splice rather
// than a link of the chain; `tls.reset` (right after the ClientHello) uses the same close.
#pragma once

#include "proxy/core/net.hpp"

namespace tlsfault::proxy::faults {

/// Closes with SO_LINGER 0: the kernel sends a RST and drops unsent data.
void close_with_reset(tcp::socket& socket);

}  // namespace tlsfault::proxy::faults
