// The request-phase half of judging `retry_then_succeed` (retry_sequences.hpp holds the
// bookkeeping): called after a scenario rule answered a request; starts the window's timer and
// writes the sequence's `expectation` event when it ends.
#pragma once

#include "proxy/core/connection.hpp"
#include "proxy/core/engine_state.hpp"
#include "proxy/core/net.hpp"
#include "proxy/scenario/scenario_runtime.hpp"

namespace tlsfault::proxy {

/// True when `rule`'s expect is a sequence judged over several requests (retry_then_succeed).
bool judged_as_sequence(const scenarios::Rule& rule);

/// After `rule` (of `scenario`, attempt `attempt`) answered a request on `conn`: a sequence
/// rule's failure opens or extends its watch, and a timer on `executor` fails it when the client
/// has not come back within the window; an answer below 400 from another rule of the same
/// scenario, for the same client and host, ends a watched sequence (its event on `conn`).
void judge_sequence_step(EngineState& state, Connection& conn, const ScenarioConnection& sc, const std::string& scenario,
                         const scenarios::Rule& rule, std::uint64_t attempt, const net::any_io_executor& executor);

}  // namespace tlsfault::proxy
