#include "scenarios/model/rule_selector.hpp"

namespace tlsfault::scenarios {
namespace {

std::size_t per_index(Sequence::Per per) { return static_cast<std::size_t>(per); }

bool sequence_fires(const Rule& rule, const std::uint64_t (&per_kind)[4], const std::string& client, const std::string& host) {
    std::uint64_t n = per_kind[per_index(rule.sequence.per)];
    return rule.sequence.fires(n, attempt_key(rule.sequence.per, client, host) + "#" + rule.name);
}

}  // namespace

RuleSelector::RuleSelector(std::shared_ptr<const Scenario> scenario, std::size_t table_capacity)
    : scenario_(std::move(scenario)), connections_(table_capacity), requests_(table_capacity) {}

std::uint64_t RuleSelector::count(Counters& counters, const std::string& client, const std::string& host, std::uint64_t (&per_kind)[4]) {
    using Per = Sequence::Per;
    std::lock_guard lock(mutex_);
    per_kind[per_index(Per::client_host)] = counters.client_host.increment(attempt_key(Per::client_host, client, host));
    per_kind[per_index(Per::host)] = counters.host.increment(attempt_key(Per::host, client, host));
    per_kind[per_index(Per::client)] = counters.client.increment(attempt_key(Per::client, client, host));
    per_kind[per_index(Per::all)] = ++counters.all;
    return per_kind[per_index(Per::client_host)];
}

std::size_t RuleSelector::tracked_keys() {
    std::lock_guard lock(mutex_);
    const auto held = [](const Counters& c) { return c.client_host.size() + c.host.size() + c.client.size(); };
    return held(connections_) + held(requests_);
}

ConnectionChoice RuleSelector::on_connection(ConnectionFacts& facts) {
    std::uint64_t per_kind[4] = {};
    ConnectionChoice choice;
    choice.attempt = facts.attempt = count(connections_, facts.client, facts.host, per_kind);
    for (const auto& rule : scenario_->rules) {
        if (rule.match.needs_request() || !rule.acts_on_connection()) continue;
        if (!rule.match.matches_connection(facts) || !sequence_fires(rule, per_kind, facts.client, facts.host)) continue;
        choice.rule = &rule;
        const std::string key = attempt_key(rule.sequence.per, facts.client, facts.host);
        for (const auto& fault : rule.tcp) {
            if (fault.probability >= 1.0 ||
                seeded_uniform(rule.sequence.seed, key + "#" + rule.name + "#" + fault.name, per_kind[per_index(rule.sequence.per)]) < fault.probability)
                choice.faults.push_back(&fault);
        }
        return choice;
    }
    return choice;
}

const Rule* RuleSelector::on_request(const ConnectionFacts& facts, const RequestFacts& request, std::uint64_t* request_attempt) {
    std::uint64_t per_kind[4] = {};
    ConnectionFacts counted = facts;
    counted.attempt = count(requests_, facts.client, facts.host, per_kind);
    if (request_attempt) *request_attempt = counted.attempt;
    for (const auto& rule : scenario_->rules) {
        if (!rule.http) continue;
        if (!rule.match.matches_connection(counted) || !rule.match.matches_request(request)) continue;
        if (!sequence_fires(rule, per_kind, facts.client, facts.host)) continue;
        return &rule;
    }
    return nullptr;
}

}  // namespace tlsfault::scenarios
