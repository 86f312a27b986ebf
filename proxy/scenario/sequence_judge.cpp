// See sequence_judge.hpp.
#include "proxy/scenario/sequence_judge.hpp"

#include "proxy/events/json_line.hpp"

#include <boost/asio/steady_timer.hpp>

namespace tlsfault::proxy {
namespace {

JsonLine sequence_event(const EndedSequence& ended) {
    JsonLine line(ended.conn, "expectation");
    line.add("scenario", ended.scenario)
        .add("rule", ended.rule)
        .add("result", std::string(scenarios::to_string(ended.judgement.result)))
        .add("expected", scenarios::describe(ended.expect))
        .add("reason", ended.judgement.reason)
        .add("outcome", "sequence")
        .add("attempt", ended.attempt)
        .add("within_ms", static_cast<std::int64_t>(ended.expect.within.count()));
    if (!ended.judgement.policy.empty()) line.add("policy", ended.judgement.policy);
    if (!ended.expect.note.empty()) line.add("note", ended.expect.note);
    return line;
}

std::string console_text(const EndedSequence& ended) {
    return "expect " + std::string(scenarios::to_string(ended.judgement.result)) + ": " + ended.judgement.reason;
}

net::awaitable<void> fail_after_window(EngineState& state, RetrySequences::Key key, std::uint64_t generation,
                                       std::chrono::milliseconds window) {
    net::steady_timer timer(co_await net::this_coro::executor);
    timer.expires_after(window);
    co_await timer.async_wait(nothrow);
    if (!state.scenarios) co_return;
    if (auto ended = state.scenarios->retries().expired(key, generation)) {
        // The connection's own line was printed when it closed: this one says how its sequence
        // ended. Printed before the event, so a reader of the event finds the line already there.
        state.console.line("#" + std::to_string(ended->conn) + " " + ended->scenario + " [" + ended->rule + "] " + console_text(*ended));
        state.log.write(sequence_event(*ended));
    }
}

}  // namespace

bool judged_as_sequence(const scenarios::Rule& rule) {
    return rule.expect && rule.expect->outcome == scenarios::Expect::Outcome::retry_then_succeed;
}

void judge_sequence_step(EngineState& state, Connection& conn, const ScenarioConnection& sc, const std::string& scenario,
                         const scenarios::Rule& rule, std::uint64_t attempt, const net::any_io_executor& executor) {
    if (!state.scenarios || !rule.http) return;
    RetrySequences::Key key{scenario, sc.facts.client, sc.facts.host};
    auto& retries = state.scenarios->retries();
    if (judged_as_sequence(rule)) {
        const auto generation = retries.failed(key, rule.name, *rule.expect, conn.id(), attempt);
        net::co_spawn(executor, fail_after_window(state, std::move(key), generation, rule.expect->within), net::detached);
        return;
    }
    if (rule.http->status >= 400) return;
    if (auto ended = retries.succeeded(key, conn.id(), attempt)) {
        conn.emit(sequence_event(*ended));
        conn.note_expectation(console_text(*ended));
    }
}

}  // namespace tlsfault::proxy
