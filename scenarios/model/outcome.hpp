// The outcome of a connection's verdict: what the engine records (proxy/core/verdict.hpp) and
// what `expect` judges (expect.hpp), one enum with one name table so neither compares strings.
#pragma once

#include "common/name_table.hpp"

#include <optional>
#include <string_view>

namespace tlsfault::scenarios {

enum class Outcome {
    accepted,  ///< handshake completed and a request was read
    alert,     ///< the client sent a TLS alert (named in `alert`)
    closed,  ///< the connection ended with a FIN and no alert: the client's, a tcp fault's, or a rule's close_after_client_hello (see reason)
    reset,            ///< the connection was reset: by the client, or by a tcp/tls reset fault (see reason)
    timeout,          ///< the client went silent past the phase's timeout
    not_tls,          ///< the client did not speak TLS where TLS was expected
    handshake_error,  ///< tlsfault could not complete the handshake with what the client offered
    plain_http,       ///< explicit proxy: a plain-HTTP (absolute-form) request, forwarded
    aborted,          ///< tlsfault ended the connection for its own reason (see `reason`)
};

inline constexpr NameTable<Outcome, 9> outcome_table{{
    {Outcome::accepted, "accepted"},
    {Outcome::alert, "alert"},
    {Outcome::closed, "closed"},
    {Outcome::reset, "reset"},
    {Outcome::timeout, "timeout"},
    {Outcome::not_tls, "not_tls"},
    {Outcome::handshake_error, "handshake_error"},
    {Outcome::plain_http, "plain_http"},
    {Outcome::aborted, "aborted"},
}};

/// The outcome's name as events, the console and the API print it.
constexpr std::string_view to_string(Outcome outcome) { return name_of(outcome_table, outcome, "aborted"); }
constexpr std::optional<Outcome> parse_outcome(std::string_view name) { return value_of(outcome_table, name); }

}  // namespace tlsfault::scenarios
