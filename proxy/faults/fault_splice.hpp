// Puts a rule's `tcp` faults between the client and the session. The session runs unchanged
// on one end of a socket pair; two pumps move the bytes between the client's socket and the
// other end, through each direction's faults. Only faulted connections pay for it.
#pragma once

#include "proxy/core/net.hpp"
#include "proxy/core/connection.hpp"

#include "scenarios/model/faults/fault_spec.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tlsfault::proxy::faults {

/// The tcp faults one connection drew, and what makes their random draws replayable.
struct TcpFaultSet {
    std::vector<const scenarios::FaultSpec*> specs;
    std::uint64_t seed = 0;  ///< the rule's sequence seed
    std::string key;         ///< scenario, rule and attempt: the same attempt replays the same jitter
    bool empty() const { return specs.empty(); }
};

/// The rest of the connection, given the stream it should use instead of the client's (by
/// reference: moving a Beast tcp_stream allocates a new state and the moved-from one keeps its own).
using SessionBody = std::function<net::awaitable<void>(beast::tcp_stream&)>;

/// Emits one `fault` event per fault, then: a blackhole or an immediate reset ends the
/// connection without the session; otherwise runs `session` spliced behind the faults and
/// returns once both the session and the pumps have ended. `phase` labels a verdict the faults
/// record themselves; `drain` bounds how long bytes may still trickle out after the session ended.
/// Returns how a fault ended the connection itself (a reset, limit_data's close), if one did.
net::awaitable<std::optional<Outcome>> run_with_tcp_faults(Connection& conn, const TcpFaultSet& faults, beast::tcp_stream client,
                                                           Phase phase, std::chrono::milliseconds drain, SessionBody session);

}  // namespace tlsfault::proxy::faults
