// handshake_reset: SO_LINGER 0 right after the ClientHello, so the client sees a TCP reset in the
// middle of its handshake (what many middleboxes do).
#include "proxy/faults/handshake/handshake_fault.hpp"

#include "proxy/faults/reset.hpp"

#include "scenarios/model/faults/handshake_reset.hpp"

namespace tlsfault::proxy::faults {

template <>
net::awaitable<std::optional<Verdict>> run_handshake_fault(const scenarios::HandshakeResetSettings&, HandshakeFaultContext& context) {
    context.announce();
    close_with_reset(context.stream.socket());
    // Outcome reset, as for the tcp reset fault: how the connection ended; the reason says who.
    co_return Verdict{Outcome::reset, Phase::handshake, {}, {}, "reset by the rule after the ClientHello"};
}

}  // namespace tlsfault::proxy::faults
