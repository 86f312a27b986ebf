// Runs a rule's handshake faults through the runtime table: no kind is named here.
#include "proxy/faults/handshake/handshake_faults.hpp"

#include "proxy/faults/fault_kinds.hpp"

#include "scenarios/model/faults/fault_describe.hpp"

namespace tlsfault::proxy::faults {

net::awaitable<bool> run_handshake_faults(std::span<const scenarios::FaultSpec> faults, Connection& conn, beast::tcp_stream& stream,
                                          beast::flat_buffer& buffer, std::uint16_t client_version) {
    for (const auto& spec : faults) {
        const auto& kind = runtime_fault_of(spec.settings);
        if (!kind.run_handshake) continue;  // the loader puts only tls kinds under `tls`
        HandshakeFaultContext context{conn, stream, buffer, client_version,
                                      conn.event("fault").add("type", spec.type).add("detail", scenarios::describe(spec.settings))};
        if (auto verdict = co_await kind.run_handshake(spec.settings, context)) {
            conn.verdict(*verdict);
            co_return true;
        }
    }
    co_return false;
}

}  // namespace tlsfault::proxy::faults
