// Scenario selection for the engine: several loaded scenarios act as one ordered rule list,
// scenario by scenario, so `tlsfault run a b` means "a's rules first, then b's".
#include "proxy/scenario/scenario_runtime.hpp"

#include "proxy/events/json_line.hpp"

#include "certgen/certgen_error.hpp"

#include <algorithm>

namespace tlsfault::proxy {
namespace {

bool any_rule_reads_ja3(const std::vector<std::shared_ptr<scenarios::RuleSelector>>& selectors) {
    return std::any_of(selectors.begin(), selectors.end(), [](const auto& selector) {
        const auto& rules = selector->scenario().rules;
        return std::any_of(rules.begin(), rules.end(), [](const scenarios::Rule& rule) { return !rule.match.ja3.empty(); });
    });
}

bool any_rule_reads_ja3(const ScenarioSet& set) { return any_rule_reads_ja3(set.selectors) || any_rule_reads_ja3(set.fault_selectors); }

}  // namespace

std::shared_ptr<const certgen::IssuedCertificate> ScenarioSet::mirrored_for(const scenarios::CertificateAction& action) const {
    auto it = mirrored.find(&action);
    return it == mirrored.end() ? nullptr : it->second;
}

ScenarioRuntime::ScenarioRuntime(std::vector<std::shared_ptr<const scenarios::Scenario>> loaded, const certgen::CaStore& cas,
                                 certgen::LabPki* pki)
    : cas_(cas), pki_(pki) {
    auto set = std::make_shared<ScenarioSet>();
    for (auto& scenario : loaded) {
        mint_mirrors(*scenario, *set);
        set->selectors.push_back(std::make_shared<scenarios::RuleSelector>(std::move(scenario)));
    }
    publish(std::move(set));
}

void ScenarioRuntime::publish(std::shared_ptr<ScenarioSet> next) {
    next->index = scenarios::SelectorIndex(next->selectors);
    next->reads_ja3 = any_rule_reads_ja3(*next);
    set_ = std::move(next);
}

void ScenarioRuntime::mint_mirrors(const scenarios::Scenario& scenario, ScenarioSet& out) const {
    for (const auto& rule : scenario.rules) {
        if (!rule.certificate || !rule.certificate->mirror) continue;
        const auto& mirror = *rule.certificate->mirror;
        if (!pki_) throw certgen::CertgenError(mirror.location + ": no lab PKI to mirror the chain with");
        certgen::MirrorRequest request;
        for (const auto& cert : *mirror.source) request.source.push_back(certgen::share(cert.get()));
        request.origin = mirror.file.filename().string();
        request.keep_urls = mirror.keep_urls;
        request.mutate = mirror.mutate;
        try {
            out.mirrored[&*rule.certificate] = pki_->mirror(request).served;
        } catch (const certgen::CertgenError& e) {
            throw certgen::CertgenError(mirror.location + ": " + e.what());
        }
    }
}

std::shared_ptr<const ScenarioSet> ScenarioRuntime::current() const {
    std::lock_guard lock(mutex_);
    return set_;
}

namespace {

/// What tlsfault saw of the client, as far as it is known, so the judgement can be checked.
void add_client_facts(JsonLine& line, const scenarios::ClientFacts& client) {
    if (client.highest_offered_version) line.add("offered_max", scenarios::tls_version_text(client.highest_offered_version));
    if (client.hello_seen) line.add("offered_alpn", client.offered_alpn);
    std::vector<std::string> fetched;
    if (client.revocation_fetched) fetched.emplace_back("revocation");
    if (client.aia_fetched) fetched.emplace_back("aia");
    if (!fetched.empty()) line.add("fetched", fetched);
    if (client.sibling_served) line.add("sibling_served", true);
    if (client.lowest_offered_version) line.add("offered_min", scenarios::tls_version_text(client.lowest_offered_version));
    if (client.hello_seen) {
        line.add("offered_sha1", client.offered_sha1_signatures)
            .add("offered_static_rsa", client.offered_static_rsa)
            .add("offered_status_request", client.offered_status_request);
    }
}

using Selectors = std::vector<std::shared_ptr<scenarios::RuleSelector>>;

/// Selectors for `wanted`, reusing those in `old` for the same scenario objects.
Selectors keep_or_make(const Selectors& old, std::vector<std::shared_ptr<const scenarios::Scenario>> wanted) {
    Selectors out;
    for (auto& scenario : wanted) {
        std::shared_ptr<scenarios::RuleSelector> kept;
        for (const auto& selector : old)
            if (&selector->scenario() == scenario.get()) kept = selector;
        out.push_back(kept ? kept : std::make_shared<scenarios::RuleSelector>(std::move(scenario)));
    }
    return out;
}

Selectors renewed(const Selectors& old) {
    Selectors out;
    for (const auto& selector : old) out.push_back(std::make_shared<scenarios::RuleSelector>(selector->scenario_ptr()));
    return out;
}

/// Drops the mirrored chains of `scenario`'s rules from `set`.
void forget_mirrors(const scenarios::Scenario& scenario, ScenarioSet& set) {
    for (const auto& rule : scenario.rules)
        if (rule.certificate) set.mirrored.erase(&*rule.certificate);
}

}  // namespace

bool ScenarioRuntime::replace(const scenarios::Scenario* previous, std::shared_ptr<const scenarios::Scenario> next) {
    ScenarioSet minted;
    mint_mirrors(*next, minted);  // outside the lock: a new CA key may take a while to generate
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < set_->selectors.size(); ++i) {
        if (&set_->selectors[i]->scenario() != previous) continue;
        auto copy = std::make_shared<ScenarioSet>(*set_);
        forget_mirrors(*previous, *copy);
        copy->mirrored.merge(minted.mirrored);
        copy->selectors[i] = std::make_shared<scenarios::RuleSelector>(std::move(next));
        publish(std::move(copy));
        return true;
    }
    return false;
}

std::vector<std::shared_ptr<const scenarios::Scenario>> ScenarioRuntime::active() const {
    auto set = current();
    std::vector<std::shared_ptr<const scenarios::Scenario>> out;
    for (const auto& selector : set->selectors) out.push_back(selector->scenario_ptr());
    return out;
}

void ScenarioRuntime::set_active(std::vector<std::shared_ptr<const scenarios::Scenario>> scenarios) {
    // Mint outside the lock, only for scenarios not active already (those keep their chains).
    auto before = current();
    ScenarioSet minted;
    for (const auto& scenario : scenarios) {
        bool active = false;
        for (const auto& selector : before->selectors) active |= &selector->scenario() == scenario.get();
        if (!active) mint_mirrors(*scenario, minted);
    }
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<ScenarioSet>(*set_);
    next->selectors = keep_or_make(set_->selectors, std::move(scenarios));
    for (const auto& selector : set_->selectors) {
        bool kept = false;
        for (const auto& s : next->selectors) kept |= s == selector;
        if (!kept) forget_mirrors(selector->scenario(), *next);
    }
    next->mirrored.merge(minted.mirrored);
    publish(std::move(next));
}

void ScenarioRuntime::set_faults(std::vector<std::shared_ptr<const scenarios::Scenario>> faults) {
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<ScenarioSet>(*set_);
    next->fault_selectors = keep_or_make(set_->fault_selectors, std::move(faults));
    next->reads_ja3 = any_rule_reads_ja3(*next);
    set_ = std::move(next);
}

void ScenarioRuntime::reset_counts() {
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<ScenarioSet>(*set_);  // the mirrored chains stay
    next->selectors = renewed(set_->selectors);
    next->fault_selectors = renewed(set_->fault_selectors);
    publish(std::move(next));
}

void ScenarioRuntime::add_runtime_faults(Connection& conn, ScenarioConnection& sc) {
    for (const auto& selector : sc.set->fault_selectors) {
        auto facts = sc.facts;
        auto choice = selector->on_connection(facts);
        if (!choice.rule) continue;
        std::vector<std::string> names;
        for (const auto* fault : choice.faults) names.push_back(fault->name);
        if (choice.rule->tls && !sc.rule) names.push_back("tls");
        conn.emit(conn.event("runtime_fault").add("fault", selector->scenario().name).add("faults", names).add("as_rule", !sc.rule));
        if (sc.rule) {
            sc.tcp_faults.insert(sc.tcp_faults.end(), choice.faults.begin(), choice.faults.end());
            continue;
        }
        // No scenario rule: the fault's rule is the connection's (its tls faults act too).
        sc.rule = choice.rule;
        sc.attempt = choice.attempt;
        sc.tcp_faults = std::move(choice.faults);
        sc.scenario = selector->scenario().name;
    }
}

void ScenarioRuntime::on_connection(Connection& conn, ScenarioConnection& sc, std::shared_ptr<const ScenarioSet> set) {
    sc.set = std::move(set);
    // Every selector this host concerns counts the attempt, so a later scenario's sequence sees
    // the same numbers; the others have no rule that could read the count (SelectorIndex).
    for (std::size_t i : sc.set->index.concerned(sc.facts.host)) {
        const auto& selector = sc.set->selectors[i];
        auto facts = sc.facts;
        auto choice = selector->on_connection(facts);
        if (sc.rule || !choice.rule) continue;
        sc.rule = choice.rule;
        sc.attempt = choice.attempt;
        sc.tcp_faults = std::move(choice.faults);
        sc.scenario = selector->scenario().name;
        sc.facts.attempt = facts.attempt;
    }
    add_runtime_faults(conn, sc);
    if (!sc.rule) return;
    auto line = conn.event("rule");
    line.add("scenario", sc.scenario).add("rule", sc.rule->name).add("phase", "connection").add("attempt", sc.attempt);
    if (sc.rule->expect) line.add("expect", true);  // an `expectation` event will follow (connections/wait waits for it)
    conn.emit(line);
}

const scenarios::Rule* ScenarioRuntime::on_request(const ScenarioConnection& sc, const scenarios::RequestFacts& request,
                                                   std::string& scenario, std::uint64_t& attempt) {
    if (!sc.set) return nullptr;  // no connection phase ran: nothing was chosen for it
    for (std::size_t i : sc.set->index.concerned(sc.facts.host)) {
        const auto& selector = sc.set->selectors[i];
        if (const auto* rule = selector->on_request(sc.facts, request, &attempt)) {
            scenario = selector->scenario().name;
            return rule;
        }
    }
    return nullptr;
}

std::string ScenarioRuntime::scenario_naming(const ScenarioSet& set, std::string_view host) {
    const std::string name(host);
    for (std::size_t i : set.index.may_name(host))  // only the scenarios that may name it
        if (set.selectors[i]->names_host(name)) return set.selectors[i]->scenario().name;
    return {};
}

void ScenarioRuntime::emit_expectation(Connection& conn, const std::string& scenario, const std::string& rule,
                                       const scenarios::Expect& expect, const scenarios::ObservedVerdict& observed) {
    const auto judged = scenarios::judge(expect, observed);
    const std::string result(scenarios::to_string(judged.result));
    auto line = conn.event("expectation");
    line.add("scenario", scenario)
        .add("rule", rule)
        .add("result", result)
        .add("expected", scenarios::describe(expect))
        .add("outcome", to_string(observed.outcome))
        .add("reason", judged.reason);
    if (observed.alert) line.add("alert", std::string(scenarios::to_string(*observed.alert)));
    if (observed.sent_alert) line.add("sent_alert", std::string(scenarios::to_string(*observed.sent_alert)));
    if (judged.alert_listed) line.add("alert_listed", *judged.alert_listed);
    if (!judged.policy.empty()) line.add("policy", judged.policy);
    if (observed.status) line.add("status", static_cast<std::int64_t>(*observed.status));
    add_client_facts(line, observed.client);
    if (!expect.note.empty()) line.add("note", expect.note);
    conn.emit(line);
    conn.note_expectation("expect " + result + ": " + judged.reason);
}

scenarios::ObservedVerdict observed_from(const Verdict& v, std::optional<int> status) {
    scenarios::ObservedVerdict observed;
    observed.outcome = v.outcome;
    observed.alert = v.alert;
    observed.sent_alert = v.sent_alert;
    observed.status = status;
    observed.handshake_completed = v.phase == Phase::request;
    return observed;
}

}  // namespace tlsfault::proxy
