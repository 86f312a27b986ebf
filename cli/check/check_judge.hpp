// Joining a client's run with what tlsfault recorded: the scenario's `expect`, as tlsfault
// judged it per connection (the `expectation` event), is the oracle; the client's exit status
// and message are shown beside it.
#pragma once

#include "cli/check/check_types.hpp"

#include <boost/json/array.hpp>

#include <string>

namespace tlsfault::cli::check {

/// Fills `outcome.verdict`, `expectation`, `connections`, `passed` and `reason` from the
/// connection records (GET connections, oldest first) the client's run produced:
/// - no connection: fail (the client never reached tlsfault);
/// - every record with an `expectation` must say pass, and at least one must have one;
/// - retry_then_succeed: also the newest connection's last request must have got a 2xx/3xx.
void judge(const boost::json::array& records, ScenarioOutcome& outcome);

/// "alert certificate_expired", "accepted (HTTP 200)", "handshake_error (sent protocol_version)".
std::string verdict_text(const boost::json::object& record);

/// The client's own first error line: in stderr (else stdout), the first line that reads like an
/// error (error, fail, exception, alert, problem, refused, reset, denied, timed out, not
/// trusted), else the first line; for a Python traceback its last line (the exception).
std::string client_message(const std::string& err, const std::string& out);

}  // namespace tlsfault::cli::check
