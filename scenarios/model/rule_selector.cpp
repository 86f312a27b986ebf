#include "scenarios/model/rule_selector.hpp"

#include "scenarios/model/host_key.hpp"

#include <algorithm>
#include <cctype>

namespace tlsfault::scenarios {
namespace {

RuleSelector::HostIndex build_index(const Scenario& scenario) {
    RuleSelector::HostIndex index;
    for (std::size_t i = 0; i < scenario.rules.size(); ++i) {
        const auto& hosts = scenario.rules[i].match.hosts;
        const bool literal = !hosts.empty() && std::all_of(hosts.begin(), hosts.end(), [](const Glob& g) { return g.is_literal(); });
        if (!literal) {
            index.other.push_back(i);
            continue;
        }
        for (const auto& glob : hosts) {
            auto& positions = index.literal[host_key(glob.literal_text())];
            if (positions.empty() || positions.back() != i) positions.push_back(i);
        }
    }
    return index;
}

/// The first rule, in scenario order, among those that can match `host` for which `accept` holds.
template <class Accept>
const Rule* first_rule(const Scenario& scenario, const RuleSelector::HostIndex& index, const std::string& host, Accept&& accept) {
    static const std::vector<std::size_t> none;
    const auto found = index.literal.empty() ? index.literal.end() : index.literal.find(host_key(host));
    const auto& named = found == index.literal.end() ? none : found->second;
    auto a = named.begin(), b = index.other.begin();
    while (a != named.end() || b != index.other.end()) {
        const bool take_a = b == index.other.end() || (a != named.end() && *a < *b);
        const Rule& rule = scenario.rules[take_a ? *a++ : *b++];
        if (accept(rule)) return &rule;
    }
    return nullptr;
}

/// A rule whose sequence counts connections to other hosts too (per client, or all of them).
bool counts_other_hosts(const Rule& rule) {
    return rule.sequence.kind != Sequence::Kind::always &&
           (rule.sequence.per == Sequence::Per::client || rule.sequence.per == Sequence::Per::all);
}

bool has_wildcard(const Rule& rule) {
    return std::any_of(rule.match.hosts.begin(), rule.match.hosts.end(), [](const Glob& g) { return !g.is_literal(); });
}

std::size_t per_index(Sequence::Per per) { return static_cast<std::size_t>(per); }

bool sequence_fires(const Rule& rule, const std::uint64_t (&per_kind)[4], const std::string& client, const std::string& host) {
    std::uint64_t n = per_kind[per_index(rule.sequence.per)];
    return rule.sequence.fires(n, attempt_key(rule.sequence.per, client, host) + "#" + rule.name);
}

}  // namespace

RuleSelector::RuleSelector(std::shared_ptr<const Scenario> scenario, std::size_t table_capacity)
    : scenario_(std::move(scenario)), index_(build_index(*scenario_)), connections_(table_capacity), requests_(table_capacity) {
    const auto& rules = scenario_->rules;
    wildcard_host_ = std::any_of(rules.begin(), rules.end(), has_wildcard);
    every_host_ = !index_.other.empty() || std::any_of(rules.begin(), rules.end(), counts_other_hosts);
}

bool RuleSelector::names_host(const std::string& host) const {
    return first_rule(*scenario_, index_, host, [&](const Rule& rule) {
               return std::any_of(rule.match.hosts.begin(), rule.match.hosts.end(), [&](const Glob& g) { return g.matches(host); });
           }) != nullptr;
}

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
    const Rule* chosen = first_rule(*scenario_, index_, facts.host, [&](const Rule& rule) {
        return !rule.match.needs_request() && rule.acts_on_connection() && rule.match.matches_connection(facts) &&
               sequence_fires(rule, per_kind, facts.client, facts.host);
    });
    if (chosen) {
        const Rule& rule = *chosen;
        choice.rule = &rule;
        const std::string key = attempt_key(rule.sequence.per, facts.client, facts.host);
        for (const auto& fault : rule.tcp) {
            if (fault.probability >= 1.0 || seeded_uniform(rule.sequence.seed, key + "#" + rule.name + "#" + fault.name,
                                                           per_kind[per_index(rule.sequence.per)]) < fault.probability)
                choice.faults.push_back(&fault);
        }
    }
    return choice;
}

const Rule* RuleSelector::on_request(const ConnectionFacts& facts, const RequestFacts& request, std::uint64_t* request_attempt) {
    std::uint64_t per_kind[4] = {};
    ConnectionFacts counted = facts;
    counted.attempt = count(requests_, facts.client, facts.host, per_kind);
    if (request_attempt) *request_attempt = counted.attempt;
    return first_rule(*scenario_, index_, facts.host, [&](const Rule& rule) {
        return rule.http && rule.match.matches_connection(counted) && rule.match.matches_request(request) &&
               sequence_fires(rule, per_kind, facts.client, facts.host);
    });
}

}  // namespace tlsfault::scenarios
