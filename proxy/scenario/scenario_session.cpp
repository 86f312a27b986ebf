// Scenario glue for one connection; see scenario_session.hpp for where each step is called.
#include "proxy/scenario/scenario_session.hpp"
#include "proxy/tls/alert_capture.hpp"

#include "proxy/events/json_line.hpp"
#include "proxy/faults/handshake/handshake_faults.hpp"
#include "proxy/tls/fingerprint.hpp"

#include "certgen/pem_io.hpp"
#include "scenarios/model/faults/fault_registry.hpp"

#include <algorithm>

namespace tlsfault::proxy {
namespace {

/// "127.0.0.1:50312" / "[::1]:50312" -> the address alone (the attempt key).
std::string client_address(const std::string& peer) {
    if (!peer.empty() && peer.front() == '[') return peer.substr(1, peer.find(']') - 1);
    return peer.substr(0, peer.rfind(':'));
}

}  // namespace

void begin_scenario(EngineState& state, Connection& conn, ScenarioConnection& sc, const std::string& host,
                    std::uint16_t port, const ClientHello* hello) {
    sc.facts.host = host;
    sc.facts.port = port;
    sc.facts.listener = conn.listener();
    sc.facts.client = client_address(conn.peer());
    if (hello) sc.facts.ja3 = ja3_hash(*hello);
    state.scenarios->on_connection(conn, sc);
    sc.host_named_by = ScenarioRuntime::scenario_naming(*sc.set, host);
    if (!sc.rule || !sc.rule->expect) return;
    sc.judged_after_faults = std::any_of(sc.tcp_faults.begin(), sc.tcp_faults.end(),
                                         [](const scenarios::FaultSpec* f) { return scenarios::ends_connection(f->settings); });
    conn.set_verdict_hook([&conn, &sc](const Verdict& v) {
        // An accepted connection whose expectation names a status is judged when it is answered.
        if (v.outcome == Outcome::accepted && sc.rule->expect->status) return;
        judge_connection_rule(conn, sc, observed_from(v));
    });
}

void judge_connection_rule(Connection& conn, ScenarioConnection& sc, const scenarios::ObservedVerdict& observed) {
    if (!sc.rule || !sc.rule->expect || sc.expectation_done) return;
    if (sc.judged_after_faults) {
        sc.pending = observed;  // the latest is the fullest (an answer's status after the verdict)
        return;
    }
    ScenarioRuntime::emit_expectation(conn, sc.scenario, sc.rule->name, *sc.rule->expect, observed);
    sc.expectation_done = true;
}

void judge_after_tcp_faults(Connection& conn, ScenarioConnection& sc, std::optional<Outcome> fired) {
    if (!sc.judged_after_faults || sc.expectation_done) return;
    sc.judged_after_faults = false;
    if (fired) judge_connection_rule(conn, sc, scenarios::ObservedVerdict{std::string(to_string(*fired)), std::nullopt, std::nullopt});
    else if (sc.pending) judge_connection_rule(conn, sc, *sc.pending);
}

net::awaitable<bool> run_handshake_faults(const ScenarioConnection& sc, Connection& conn, beast::tcp_stream& stream,
                                          beast::flat_buffer& buffer, const ClientHello& hello) {
    if (!sc.rule || !sc.rule->tls) co_return false;
    co_return co_await faults::run_handshake_faults(sc.rule->tls->faults, conn, stream, buffer, hello.legacy_version);
}

faults::TcpFaultSet tcp_faults_of(const ScenarioConnection& sc) {
    faults::TcpFaultSet set;
    if (!sc.rule) return set;
    set.specs = sc.tcp_faults;
    set.seed = sc.rule->sequence.seed;
    set.key = sc.scenario + "#" + sc.rule->name + "#" + sc.facts.client + "#" + sc.facts.host + "#" + std::to_string(sc.attempt);
    return set;
}

bool apply_rule(EngineState& state, const ScenarioConnection& sc, SSL* ssl, const certgen::IssuedCertificate& cert,
                ClientCertCheck& check, std::string& error) {
    if (!sc.rule) return true;
    const auto& rule = *sc.rule;
    if (rule.chain && !apply_chain(ssl, cert, *rule.chain, state.scenarios->cas(), error)) return false;
    if (rule.tls && !apply_tls_settings(ssl, *rule.tls, error)) return false;
    if (rule.client_cert && !request_client_certificate(ssl, *rule.client_cert, state.scenarios->cas(), check, error)) return false;
    return true;
}

void note_client_certificate(Connection& conn, ScenarioConnection& sc, SSL* ssl, const ClientCertCheck& check) {
    X509* presented = SSL_get0_peer_certificate(ssl);  // null after a failed verification
    sc.client_cert_presented = presented != nullptr || check.presented;
    sc.client_cert_valid = presented && !check.failed && SSL_get_verify_result(ssl) == X509_V_OK;
    if (!check.action) return;
    auto line = conn.event("client_cert");
    line.add("presented", sc.client_cert_presented).add("valid", sc.client_cert_valid);
    if (check.expired) line.add("problem", "expired");
    else if (check.failed) line.add("problem", "untrusted");
    if (check.alert) line.add("alert", std::string(scenarios::to_string(*check.alert)));
    if (presented) line.add("subject", certgen::subject_line(presented));
    conn.emit(line);
}

void note_alpn(Connection& conn, const AlpnChoice& alpn) {
    auto line = conn.event("alpn");
    line.add("rule", alpn.wanted.value_or("")).add("offered", alpn.offered);
    if (alpn.refused) line.add("refused", true);
    else line.add("selected", alpn.selected);
    conn.emit(line);
}

void judge_default_answer(Connection& conn, ScenarioConnection& sc, std::optional<int> status) {
    judge_connection_rule(conn, sc, scenarios::ObservedVerdict{"accepted", std::nullopt, status});
}

}  // namespace tlsfault::proxy
