// One connection's scenario, created the same way by the TLS path (tls_interception.cpp) and the
// plain-HTTP proxy path (plain_http_session.cpp): the rule the scenarios chose, the tcp faults it
// drew, what the handshake revealed (client certificate, ALPN) and the judge of its `expect`.
// Its steps are called at fixed points of the connection's story, in this order:
//   choose -> handshake_faults -> apply -> on_handshake -> on_request / on_answer (per request) -> on_end
// with every verdict given through verdict(), which records it on the Connection and judges it.
#pragma once

#include "proxy/core/connection.hpp"
#include "proxy/core/engine_state.hpp"
#include "proxy/core/net.hpp"
#include "proxy/faults/fault_splice.hpp"
#include "proxy/relay/http_relay.hpp"
#include "proxy/scenario/expectation_judge.hpp"
#include "proxy/scenario/handshake_actions.hpp"
#include "proxy/scenario/scenario_responder.hpp"
#include "proxy/scenario/scenario_runtime.hpp"
#include "proxy/tls/alpn_select.hpp"
#include "proxy/tls/client_hello.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace tlsfault::proxy {

class ScenarioSession {
public:
    ScenarioSession(EngineState& state, Connection& conn) : state_(state), conn_(conn), judge_(conn) {}
    /// Runs on_end when the session's frame goes without it (a connection torn down at shutdown).
    ~ScenarioSession() { on_end(); }
    ScenarioSession(const ScenarioSession&) = delete;
    ScenarioSession& operator=(const ScenarioSession&) = delete;

    Connection& conn() { return conn_; }
    /// Whether scenarios are loaded: when not, every step does nothing and requests get the default.
    bool active() const { return state_.scenarios != nullptr; }
    /// Whether a rule could answer this connection's requests: its scenario set has scenarios
    /// (runtime faults never answer requests). When not, on_request is not worth a coroutine.
    bool may_answer_requests() const { return active() && sc_.set && !sc_.set->selectors.empty(); }
    /// The connection-phase rule; nullptr: engine defaults.
    const scenarios::Rule* rule() const { return sc_.rule; }
    const ScenarioConnection& choice() const { return sc_; }

    /// Asks the scenarios for this connection's rule (emitting `rule`) and arms the judge with it.
    /// `hello` is nullptr for a plain-HTTP proxy request: there is no JA3, so rules with
    /// `match.ja3` do not match it. `ja3_hash` is the hello's JA3: when empty, it is computed here
    /// if a rule of the connection's set matches on JA3 (so that only then a connection pays for it).
    void choose(const std::string& host, std::uint16_t port, const ClientHello* hello, std::string& ja3_hash);

    /// The rule's alert, reset or stall. True when the connection ended (its verdict is recorded).
    net::awaitable<bool> handshake_faults(beast::tcp_stream& stream, beast::flat_buffer& buffer, const ClientHello& hello);

    /// The rule's chain, tls settings and client-certificate request on the connection's SSL.
    bool apply(SSL* ssl, const certgen::IssuedCertificate& cert, ClientCertCheck& check, std::string& error);

    /// Right after the handshake, `completed` or not: emits `alpn` when the rule set tls.alpn and
    /// `client_cert` when one was asked for; notes what match.client_cert sees afterwards.
    void on_handshake(SSL* ssl, const ClientCertCheck& check, const AlpnChoice& alpn, bool completed);

    /// Runs `body` on the client's stream, or spliced behind the rule's tcp faults when it drew
    /// any; then judges what the faults did (a verdict they gave, a reset or close they caused).
    /// `phase` labels a verdict the faults record themselves. Not a coroutine itself: without
    /// faults it returns `body`'s own awaitable, so no frame of its own stays for the connection.
    net::awaitable<void> with_tcp_faults(beast::tcp_stream& stream, Phase phase, faults::SessionBody body);
    /// Whether the connection drew tcp faults (with_tcp_faults splices it).
    bool has_tcp_faults() const { return !sc_.tcp_faults.empty(); }

    /// Offers one request to the scenarios' request rules and answers it when one matches.
    template <class Stream>
    net::awaitable<RuleAnswer> on_request(Stream& stream, beast::flat_buffer& buffer, RequestParser& parser);
    /// The engine's default answer went out with `status`.
    void on_answer(int status) { judge_.on_answer(status); }

    /// Records `v` on the connection (the first verdict wins) and judges the recorded one.
    void verdict(const Verdict& v);

    /// The connection is done: a connection without a verdict gets its teardown verdict, and an
    /// `expect` still waiting is judged. Idempotent.
    void on_end();

private:
    net::awaitable<void> spliced_behind_faults(beast::tcp_stream& stream, Phase phase, faults::SessionBody body);
    EngineState& state_;
    Connection& conn_;
    ScenarioConnection sc_;
    ExpectationJudge judge_;
    bool ended_ = false;
};

}  // namespace tlsfault::proxy
