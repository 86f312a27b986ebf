// When a connection's `expect` is judged; see expectation_judge.hpp. What passes is decided by
// scenarios::expectation_met; the event is written by ScenarioRuntime::emit_expectation.
#include "proxy/scenario/expectation_judge.hpp"

#include "proxy/scenario/judge_facts.hpp"
#include "proxy/scenario/scenario_runtime.hpp"
#include "proxy/scenario/sequence_judge.hpp"

namespace tlsfault::proxy {

void ExpectationJudge::arm(std::string scenario, const scenarios::Rule* rule, bool deferred, const ScenarioConnection* facts) {
    scenario_ = std::move(scenario);
    rule_ = rule;
    facts_ = facts;
    deferred_ = armed() && deferred;
}

void ExpectationJudge::on_verdict(const Verdict& recorded) {
    if (verdict_seen_) return;
    verdict_seen_ = true;
    // An accepted connection whose expectation names a status is judged when it is answered.
    if (!armed() || (recorded.outcome == Outcome::accepted && rule_->expect->status)) return;
    judge_connection_rule(observed_from(recorded));
}

void ExpectationJudge::on_answer(int status) { judge_connection_rule(scenarios::ObservedVerdict{Outcome::accepted, std::nullopt, status}); }

void ExpectationJudge::before_rule_answer(const std::string& scenario, const scenarios::Rule& rule) {
    judge_request(scenario, rule, false);
}

void ExpectationJudge::after_rule_answer(const std::string& scenario, const scenarios::Rule& rule) { judge_request(scenario, rule, true); }

void ExpectationJudge::judge_request(const std::string& scenario, const scenarios::Rule& rule, bool after_answer) {
    // A retry sequence is judged when it ends (sequence_judge.hpp), not at each attempt.
    if (!rule.http || judged_as_sequence(rule)) return;
    scenarios::ObservedVerdict observed{Outcome::accepted, std::nullopt, rule.http->status};
    if (rule.expect && &rule != rule_) {  // a request rule's own expectation: judged for every request it answers
        if (rule.expect->status.has_value() == after_answer)
            ScenarioRuntime::emit_expectation(conn_, scenario, rule.name, *rule.expect, observed);
        return;
    }
    // Else the connection rule's (the same rule may be both), once.
    if (armed() && !done_ && rule_->expect->status.has_value() == after_answer) judge_connection_rule(observed);
}

void ExpectationJudge::judge_connection_rule(const scenarios::ObservedVerdict& observed) {
    if (!armed() || done_) return;
    if (deferred_) {
        pending_ = observed;  // the latest is the fullest (an answer's status after the verdict)
        return;
    }
    auto completed = observed;
    if (facts_) complete_observation(conn_, *facts_, completed);
    ScenarioRuntime::emit_expectation(conn_, scenario_, rule_->name, *rule_->expect, completed);
    done_ = true;
}

void ExpectationJudge::after_tcp_faults(std::optional<Outcome> fired) {
    if (!deferred_ || done_) return;
    deferred_ = false;
    if (fired)
        judge_connection_rule(scenarios::ObservedVerdict{*fired, std::nullopt, std::nullopt});
    else if (pending_)
        judge_connection_rule(*pending_);
}

void ExpectationJudge::on_end(const Verdict* recorded) {
    if (!armed() || done_) return;
    if (deferred_) after_tcp_faults(std::nullopt);
    if (done_) return;
    if (pending_)
        judge_connection_rule(*pending_);
    else if (recorded)
        judge_connection_rule(observed_from(*recorded));
}

}  // namespace tlsfault::proxy
