// The scenario steps of one intercepted connection, called from tls_interception.cpp at fixed
// points so its top-to-bottom story stays readable: pick the rule after the ClientHello, run its
// handshake faults, set its certificate/chain/tls/client_cert on the SSL, note the client's
// certificate after the handshake.
#pragma once

#include "proxy/faults/fault_splice.hpp"
#include "proxy/core/net.hpp"
#include "proxy/scenario/handshake_actions.hpp"
#include "proxy/scenario/scenario_runtime.hpp"
#include "proxy/core/connection.hpp"
#include "proxy/core/engine_state.hpp"
#include "proxy/tls/alpn_select.hpp"
#include "proxy/tls/client_hello.hpp"

namespace tlsfault::proxy {

/// Asks the scenarios for this connection's rule (emitting `rule`) and, when the rule has an
/// `expect`, arranges for the `expectation` event once the verdict is known. Clear the
/// connection's verdict hook before `sc` goes away. `hello` is nullptr for a plain-HTTP proxy
/// request: there is no JA3, so rules with `match.ja3` do not match it.
void begin_scenario(EngineState& state, Connection& conn, ScenarioConnection& sc, const std::string& host,
                    std::uint16_t port, const ClientHello* hello);

/// The rule's alert, reset or stall. True when the connection ended (its verdict is recorded).
net::awaitable<bool> run_handshake_faults(const ScenarioConnection& sc, Connection& conn, beast::tcp_stream& stream,
                                          beast::flat_buffer& buffer, const ClientHello& hello);

/// The rule's tcp faults this connection drew, keyed so that the same attempt replays the same
/// random draws (jitter, slice sizes).
faults::TcpFaultSet tcp_faults_of(const ScenarioConnection& sc);

/// The rule's chain, tls settings and client-certificate request on the connection's SSL.
bool apply_rule(EngineState& state, const ScenarioConnection& sc, SSL* ssl, const certgen::IssuedCertificate& cert,
                ClientCertCheck& check, std::string& error);

/// After the handshake (or after one the rule's client_cert alert ended): whether the client
/// presented a certificate and whether it verified (what match.client_cert sees); emits
/// `client_cert` when one was asked for, with `alert` when the rule's alert ended the handshake.
void note_client_certificate(Connection& conn, ScenarioConnection& sc, SSL* ssl, const ClientCertCheck& check);

/// After the handshake (or its failure) when the rule set tls.alpn: emits `alpn` with the rule's
/// setting, what the client offered, and what was selected or that it was refused.
void note_alpn(Connection& conn, const AlpnChoice& alpn);

/// Judges the connection rule's `expect` against `observed`, once. While the rule's tcp faults
/// may still end the connection, the observation is kept for judge_after_tcp_faults instead.
void judge_connection_rule(Connection& conn, ScenarioConnection& sc, const scenarios::ObservedVerdict& observed);

/// After the engine's default answer (`status`: 200 for the origin page, nullopt when relayed):
/// judges a connection rule's `expect` that was waiting for an HTTP status.
void judge_default_answer(Connection& conn, ScenarioConnection& sc, std::optional<int> status);

/// Once the splice is over: a fault that ended the connection (`fired`: a reset, limit_data's
/// close) is what the client last saw; otherwise what was kept. Judges a deferred `expect`.
void judge_after_tcp_faults(Connection& conn, ScenarioConnection& sc, std::optional<Outcome> fired);

/// Clears the connection's verdict hook when the session's frame ends.
class VerdictHookGuard {
public:
    explicit VerdictHookGuard(Connection& conn) : conn_(conn) {}
    ~VerdictHookGuard() { conn_.set_verdict_hook({}); }
    VerdictHookGuard(const VerdictHookGuard&) = delete;
    VerdictHookGuard& operator=(const VerdictHookGuard&) = delete;

private:
    Connection& conn_;
};

}  // namespace tlsfault::proxy
