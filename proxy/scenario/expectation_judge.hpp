// The judge of a connection's `expect`: the one place that decides when the `expectation` event
// is written and with what observation. The rules (what passes) live in scenarios/model/expect;
// this class owns the timing: an accepted connection whose expectation names a status waits for
// the answer; while a drawn tcp fault may still end the connection the observation is kept; the
// connection rule's expectation is written exactly once, and at the latest when the session ends.
#pragma once

#include "proxy/core/connection.hpp"

#include "scenarios/model/expect.hpp"
#include "scenarios/model/scenario.hpp"

#include <optional>
#include <string>

namespace tlsfault::proxy {

struct ScenarioConnection;

class ExpectationJudge {
public:
    explicit ExpectationJudge(Connection& conn) : conn_(conn) {}
    ExpectationJudge(const ExpectationJudge&) = delete;
    ExpectationJudge& operator=(const ExpectationJudge&) = delete;

    /// The connection rule (of `scenario`) whose `expect`, if any, is judged; `deferred`: a drawn
    /// tcp fault may still end the connection after its verdict (a timed reset, limit_data), so
    /// judging waits for after_tcp_faults (or on_end). `facts`: what tlsfault saw of the client
    /// (judge_facts.hpp), added to the observation just before it is judged; nullptr: none.
    void arm(std::string scenario, const scenarios::Rule* rule, bool deferred, const ScenarioConnection* facts = nullptr);

    /// The connection's verdict, as recorded (only the first call counts). Judged at once unless
    /// it is `accepted` and the expectation names a status: that waits for the answer.
    void on_verdict(const Verdict& recorded);
    /// The engine's default answer went out with `status` (200 for the origin page, the upstream's).
    void on_answer(int status);
    /// A request rule with an http answer is about to answer: an expectation that names no status
    /// (the rule's own, or else the connection rule's) is met once the request is here, so it is
    /// judged before a delayed answer a client with a short timeout never waits for.
    void before_rule_answer(const std::string& scenario, const scenarios::Rule& rule);
    /// ... and after the answer went out: an expectation that names a status is judged.
    void after_rule_answer(const std::string& scenario, const scenarios::Rule& rule);
    /// The splice is over: a fault that ended the connection (`fired`) is what the client last
    /// saw; otherwise what was seen before.
    void after_tcp_faults(std::optional<Outcome> fired);
    /// The session is over: an expectation still waiting (for a status that never came, for a
    /// verdict given at teardown) is judged with what was seen, so it is never left unwritten.
    void on_end(const Verdict* recorded);

    /// Whether the connection rule's `expectation` event was written.
    bool done() const { return done_; }

private:
    bool armed() const { return rule_ && rule_->expect; }
    /// The connection rule's expectation against `observed`, once; kept while deferred.
    void judge_connection_rule(const scenarios::ObservedVerdict& observed);
    /// The expectation `before_rule_answer`/`after_rule_answer` judge, with `wants_status`.
    void judge_request(const std::string& scenario, const scenarios::Rule& rule, bool after_answer);

    Connection& conn_;
    std::string scenario_;
    const scenarios::Rule* rule_ = nullptr;
    const ScenarioConnection* facts_ = nullptr;
    bool deferred_ = false;
    bool verdict_seen_ = false;
    bool done_ = false;
    std::optional<scenarios::ObservedVerdict> pending_;  ///< the fullest observation so far, while waiting
};

}  // namespace tlsfault::proxy
