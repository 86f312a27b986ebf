// The names of phases and alerts, as the events and the console print them (outcomes are named
// in scenarios/model/outcome.hpp).
#include "proxy/core/verdict.hpp"

#include "common/name_table.hpp"

namespace tlsfault::proxy {
namespace {

constexpr NameTable<Phase, 4> phase_names{{
    {Phase::client_hello, "client_hello"},
    {Phase::handshake, "handshake"},
    {Phase::request, "request"},
    {Phase::proxy_request, "proxy_request"},
}};

}  // namespace

std::string_view to_string(Phase phase) { return name_of(phase_names, phase, "handshake"); }

std::string alert_text(TlsAlert alert) { return scenarios::alert_name(static_cast<std::uint8_t>(alert)); }

}  // namespace tlsfault::proxy
