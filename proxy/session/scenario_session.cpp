// One connection's scenario; see scenario_session.hpp for where each step is called.
#include "proxy/session/scenario_session.hpp"

#include "proxy/events/json_line.hpp"
#include "proxy/faults/handshake/handshake_faults.hpp"
#include "proxy/scenario/judge_facts.hpp"
#include "proxy/tls/alert_capture.hpp"
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

/// The rule's tcp faults this connection drew, keyed so that the same attempt replays the same
/// random draws (jitter, slice sizes).
faults::TcpFaultSet tcp_faults_of(const ScenarioConnection& sc) {
    faults::TcpFaultSet set;
    if (!sc.rule) return set;
    set.specs = sc.tcp_faults;
    set.seed = sc.rule->sequence.seed;
    set.key = sc.scenario + "#" + sc.rule->name + "#" + sc.facts.client + "#" + sc.facts.host + "#" + std::to_string(sc.attempt);
    return set;
}

void note_alpn(Connection& conn, const AlpnChoice& alpn) {
    auto line = conn.event("alpn");
    line.add("rule", alpn.wanted.value_or("")).add("offered", alpn.offered);
    if (alpn.refused)
        line.add("refused", true);
    else
        line.add("selected", alpn.selected);
    conn.emit(line);
}

}  // namespace

void ScenarioSession::choose(const std::string& host, std::uint16_t port, const ClientHello* hello, std::string& ja3_hash) {
    if (!active()) return;
    auto set = state_.scenarios->current();
    sc_.facts.host = host;
    sc_.facts.port = port;
    sc_.facts.listener = conn_.listener();
    sc_.facts.client = client_address(conn_.peer());
    if (hello && set->reads_ja3 && ja3_hash.empty()) ja3_hash = proxy::ja3_hash(*hello);
    if (hello) sc_.facts.ja3 = ja3_hash;
    state_.scenarios->on_connection(conn_, sc_, std::move(set));
    sc_.judge_sources = state_.scenarios->judge_sources();
    note_client_facts(sc_, hello);
    sc_.host_named_by = ScenarioRuntime::scenario_naming(*sc_.set, host);
    const bool deferred = std::any_of(sc_.tcp_faults.begin(), sc_.tcp_faults.end(),
                                      [](const scenarios::FaultSpec* f) { return scenarios::ends_connection(f->settings); });
    judge_.arm(sc_.scenario, sc_.rule, deferred, &sc_);
}

net::awaitable<bool> ScenarioSession::handshake_faults(beast::tcp_stream& stream, beast::flat_buffer& buffer, const ClientHello& hello) {
    if (!sc_.rule || !sc_.rule->tls) co_return false;
    const bool ended = co_await faults::run_handshake_faults(sc_.rule->tls->faults, conn_, stream, buffer, hello.legacy_version);
    if (ended && conn_.recorded_verdict()) judge_.on_verdict(*conn_.recorded_verdict());  // the fault recorded it
    co_return ended;
}

bool ScenarioSession::apply(SSL* ssl, const certgen::IssuedCertificate& cert, ClientCertCheck& check, std::string& error) {
    if (!sc_.rule) return true;
    const auto& rule = *sc_.rule;
    if (rule.chain && !apply_chain(ssl, cert, *rule.chain, state_.scenarios->cas(), error)) return false;
    if (rule.tls && !apply_tls_settings(ssl, *rule.tls, error)) return false;
    if (rule.client_cert && !request_client_certificate(ssl, *rule.client_cert, state_.scenarios->cas(), check, error)) return false;
    return true;
}

void ScenarioSession::on_handshake(SSL* ssl, const ClientCertCheck& check, const AlpnChoice& alpn, bool completed) {
    if (alpn.wanted) note_alpn(conn_, alpn);
    // After a failed handshake only the rule's client_cert alert makes the certificate worth noting.
    if (!active() || (!completed && !check.alert)) return;
    X509* presented = SSL_get0_peer_certificate(ssl);  // null after a failed verification
    sc_.client_cert_presented = presented != nullptr || check.presented;
    sc_.client_cert_valid = presented && !check.failed && SSL_get_verify_result(ssl) == X509_V_OK;
    if (!check.action) return;
    auto line = conn_.event("client_cert");
    line.add("presented", sc_.client_cert_presented).add("valid", sc_.client_cert_valid);
    if (check.expired)
        line.add("problem", "expired");
    else if (check.failed)
        line.add("problem", "untrusted");
    if (check.alert) line.add("alert", std::string(scenarios::to_string(*check.alert)));
    if (presented) line.add("subject", certgen::subject_line(presented));
    conn_.emit(line);
}

net::awaitable<void> ScenarioSession::with_tcp_faults(beast::tcp_stream& stream, Phase phase, faults::SessionBody body) {
    if (!has_tcp_faults()) return body(stream);
    return spliced_behind_faults(stream, phase, std::move(body));
}

net::awaitable<void> ScenarioSession::spliced_behind_faults(beast::tcp_stream& stream, Phase phase, faults::SessionBody body) {
    auto fired = co_await faults::run_with_tcp_faults(conn_, tcp_faults_of(sc_), std::move(stream), phase, state_.config.timeouts.idle,
                                                      std::move(body));
    // A verdict the faults gave themselves (a blackhole, the client's reset seen by the splice).
    if (const auto* recorded = conn_.recorded_verdict()) judge_.on_verdict(*recorded);
    judge_.after_tcp_faults(fired);
}

template <class Stream>
net::awaitable<RuleAnswer> ScenarioSession::on_request(Stream& stream, beast::flat_buffer& buffer, RequestParser& parser) {
    if (!active()) co_return RuleAnswer::none;
    co_return co_await answer_scenario_request(state_, conn_, stream, buffer, parser, sc_, judge_);
}

template net::awaitable<RuleAnswer> ScenarioSession::on_request(TlsStream&, beast::flat_buffer&, RequestParser&);
template net::awaitable<RuleAnswer> ScenarioSession::on_request(beast::tcp_stream&, beast::flat_buffer&, RequestParser&);

void ScenarioSession::verdict(const Verdict& v) {
    conn_.verdict(v);
    judge_.on_verdict(*conn_.recorded_verdict());  // the first one given, which may not be `v`
}

void ScenarioSession::on_end() {
    if (ended_) return;
    ended_ = true;
    if (!conn_.has_verdict()) verdict(conn_.teardown_verdict());
    judge_.on_end(conn_.recorded_verdict());
}

}  // namespace tlsfault::proxy
