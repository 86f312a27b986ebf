// The names of outcomes and phases, as the events and the console print them.
#include "proxy/core/verdict.hpp"

namespace tlsfault::proxy {

std::string_view to_string(Outcome outcome) {
    switch (outcome) {
    case Outcome::accepted: return "accepted";
    case Outcome::alert: return "alert";
    case Outcome::closed: return "closed";
    case Outcome::reset: return "reset";
    case Outcome::timeout: return "timeout";
    case Outcome::not_tls: return "not_tls";
    case Outcome::handshake_error: return "handshake_error";
    case Outcome::plain_http: return "plain_http";
    case Outcome::aborted: return "aborted";
    }
    return "aborted";
}

std::string_view to_string(Phase phase) {
    switch (phase) {
    case Phase::client_hello: return "client_hello";
    case Phase::handshake: return "handshake";
    case Phase::request: return "request";
    case Phase::proxy_request: return "proxy_request";
    }
    return "handshake";
}

}  // namespace tlsfault::proxy
