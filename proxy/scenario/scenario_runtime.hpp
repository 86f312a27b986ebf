// The scenarios `tlsfault run NAME|FILE...` loaded, with one RuleSelector each: owned by the
// engine, reached from EngineState (null when no scenario was given). A connection asks it once
// after the ClientHello and once per request; the first scenario with a matching rule decides.
// A reloaded file swaps in a new ScenarioSet for connections that start afterwards; each
// connection keeps the set it started with, so one in flight never changes rules midway.
#pragma once

#include "proxy/core/connection.hpp"
#include "proxy/scenario/judge_facts.hpp"
#include "proxy/scenario/retry_sequences.hpp"

#include "certgen/ca_store.hpp"
#include "certgen/issued_certificate.hpp"
#include "certgen/lab_pki.hpp"
#include "scenarios/model/rule_selector.hpp"
#include "scenarios/model/selector_index.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tlsfault::proxy {

/// The scenarios in force, in the order given, one selector each. Never changed once built: a
/// reload builds a new set that shares the selectors (and so the attempt counts) of the
/// scenarios that did not change.
struct ScenarioSet {
    std::vector<std::shared_ptr<scenarios::RuleSelector>> selectors;
    /// Which of `selectors` a host concerns (rebuilt with them): a connection asks only those.
    scenarios::SelectorIndex index;
    /// Runtime faults (the control API's `POST faults`), each a one-rule scenario. They add to
    /// whatever the scenarios chose: their tcp faults are appended to the winner's; when no
    /// scenario rule matched, the first matching fault rule is the connection's rule (so its
    /// tls faults act too).
    std::vector<std::shared_ptr<scenarios::RuleSelector>> fault_selectors;
    /// Each `certificate: {mirror: ...}` of these scenarios, re-minted when the set was built:
    /// a connection is served the chain minted for its rule, never minting on the traffic path.
    std::map<const scenarios::CertificateAction*, std::shared_ptr<const certgen::IssuedCertificate>> mirrored;
    /// Whether a rule of these scenarios or faults matches on `ja3`: a connection computes its
    /// JA3 for the rules only then (rebuilt with `index`).
    bool reads_ja3 = false;

    /// The mirrored chain for `action`, or null when it is not a mirror action of this set.
    std::shared_ptr<const certgen::IssuedCertificate> mirrored_for(const scenarios::CertificateAction& action) const;
};

/// What the scenarios decided for one connection, kept by its ScenarioSession
/// (proxy/session/scenario_session.hpp) for its whole life; the session's ExpectationJudge
/// judges the rule's `expect`.
struct ScenarioConnection {
    /// The set this connection started with: it owns `rule` and answers every request.
    std::shared_ptr<const ScenarioSet> set;
    scenarios::ConnectionFacts facts;
    const scenarios::Rule* rule = nullptr;  ///< the connection-phase rule; nullptr: engine defaults
    std::string scenario;                   ///< the scenario `rule` belongs to
    std::uint64_t attempt = 0;
    std::vector<const scenarios::FaultSpec*> tcp_faults;  ///< the rule's tcp faults this connection drew
    bool client_cert_presented = false;
    bool client_cert_valid = false;
    /// The first loaded scenario whose `match.host` names this connection's host ("" when none):
    /// such a host is a lab stand-in and is never forwarded unless a rule says `http: forward`.
    std::string host_named_by;
    scenarios::ClientFacts client_facts;  ///< from the ClientHello and the rule, for judging `expect`
    JudgeSources judge_sources;           ///< where the judge finds linked fetches and served siblings
};

class ScenarioRuntime {
public:
    /// `cas` gives the lab CAs a rule's chain and client-certificate CA may name; `pki` re-mints
    /// the scenarios' mirrored chains (null: a scenario with one is refused). Throws
    /// certgen::CertgenError, naming the `mirror` key's file:line:col, when a chain cannot be minted.
    ScenarioRuntime(std::vector<std::shared_ptr<const scenarios::Scenario>> loaded, const certgen::CaStore& cas,
                    certgen::LabPki* pki = nullptr);

    /// Connection phase: takes `set` (current()) into `sc`; every scenario the host concerns
    /// (ScenarioSet::index) counts the attempt; the first one with a rule wins. Emits a `rule` event when a rule was chosen.
    void on_connection(Connection& conn, ScenarioConnection& sc, std::shared_ptr<const ScenarioSet> set);
    void on_connection(Connection& conn, ScenarioConnection& sc) { on_connection(conn, sc, current()); }

    /// Request phase, in the connection's own set: the first scenario whose request rule
    /// matches (it has `http`); nullptr: the engine's default answer. `scenario` receives that
    /// rule's scenario name, `attempt` this request's number as that scenario counts it.
    static const scenarios::Rule* on_request(const ScenarioConnection& sc, const scenarios::RequestFacts& request, std::string& scenario,
                                             std::uint64_t& attempt);

    /// Puts `next` in the place of `previous` (a reloaded file) for connections that start from
    /// now on, with a fresh selector (its attempt counts start again); the other scenarios keep
    /// theirs. False when `previous` is no longer active (the API took it out). Its mirrored
    /// chains are minted first: when that throws, nothing is replaced. Thread-safe.
    bool replace(const scenarios::Scenario* previous, std::shared_ptr<const scenarios::Scenario> next);

    /// The active scenarios, in order. Thread-safe.
    std::vector<std::shared_ptr<const scenarios::Scenario>> active() const;

    /// Makes `scenarios` the active set for new connections (the control API). A scenario that
    /// was already active (the same object) keeps its selector, attempt counts and mirrored
    /// chains; a new one's mirrors are minted first (certgen::CertgenError: nothing changes).
    /// Thread-safe.
    void set_active(std::vector<std::shared_ptr<const scenarios::Scenario>> scenarios);

    /// Every active scenario starts counting attempts and sequences again (`POST reset`).
    void reset_counts();

    /// Makes `faults` the runtime faults for new connections, keeping the selectors of those
    /// that stay. Thread-safe.
    void set_faults(std::vector<std::shared_ptr<const scenarios::Scenario>> faults);

    /// The set new connections get. Thread-safe.
    std::shared_ptr<const ScenarioSet> current() const;

    /// Writes the `expectation` event for `expect` given what was observed (pass, fail or
    /// not_judged, with the reason) and notes it for the console line.
    static void emit_expectation(Connection& conn, const std::string& scenario, const std::string& rule, const scenarios::Expect& expect,
                                 const scenarios::ObservedVerdict& observed);

    const certgen::CaStore& cas() const { return cas_; }

    /// The revocation listener's record of fetches linked to connections (set once by the engine).
    void link_fetches(LinkedFetches* fetches) { fetches_ = fetches; }
    /// What a connection's judge reads besides its verdict.
    JudgeSources judge_sources() { return {fetches_, &siblings_}; }
    /// The retry sequences being watched (retry_then_succeed on request rules).
    RetrySequences& retries() { return retries_; }

    /// The first scenario in `set` with a rule whose `match.host` matches `host`; "" when none.
    static std::string scenario_naming(const ScenarioSet& set, std::string_view host);
    /// The same, in the current set.
    std::string scenario_naming(std::string_view host) const { return scenario_naming(*current(), host); }

private:
    /// Draws the set's runtime faults for `sc` (after the scenarios chose) and emits `runtime_fault`.
    static void add_runtime_faults(Connection& conn, ScenarioConnection& sc);

    /// Indexes `next`'s selectors and makes it the current set. mutex_ held.
    void publish(std::shared_ptr<ScenarioSet> next);

    mutable std::mutex mutex_;
    std::shared_ptr<const ScenarioSet> set_;  ///< swapped whole under mutex_, never edited in place
    /// Mints every mirror action of `scenario` into `out`.
    void mint_mirrors(const scenarios::Scenario& scenario, ScenarioSet& out) const;

    const certgen::CaStore& cas_;
    certgen::LabPki* pki_;
    LinkedFetches* fetches_ = nullptr;
    ServedSiblings siblings_;
    RetrySequences retries_;
};

/// The verdict as the scenario model sees it (outcome name, received alert), with `status` when known.
scenarios::ObservedVerdict observed_from(const Verdict& v, std::optional<int> status = std::nullopt);

}  // namespace tlsfault::proxy
