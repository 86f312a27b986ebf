// ExpectationJudge without sockets: each case arms a judge with a rule, feeds it what a session
// would (the verdict, answers, the end of the tcp faults, the end of the session) and reads the
// `expectation` events it wrote from the event feed. The case names say what each one pins down.
#include "proxy/scenario/expectation_judge.hpp"

#include "proxy/events/event_feed.hpp"
#include "proxy/events/event_log.hpp"

#include "tests/unit/scenarios/scenario_test_helpers.hpp"

#include <doctest/doctest.h>

#include <regex>
#include <string>
#include <vector>

using namespace tlsfault;
using proxy::Outcome;
using proxy::TlsAlert;

namespace {

/// One thing a session tells the judge.
struct Step {
    enum Kind { verdict, answer, before_rule, after_rule, faults_done, end } kind;
    Outcome outcome = Outcome::accepted;  ///< verdict: the recorded outcome; faults_done: what fired
    int status = 0;                       ///< answer: the status sent
    bool fired = false;                   ///< faults_done: whether a fault ended the connection
    std::optional<TlsAlert> alert = {};   ///< verdict: the alert received
};

Step verdict_of(Outcome o, std::optional<TlsAlert> alert = {}) { return {Step::verdict, o, 0, false, alert}; }
Step answered(int status) { return {Step::answer, Outcome::accepted, status}; }
Step faults_fired(Outcome o) { return {Step::faults_done, o, 0, true}; }
const Step faults_quiet{Step::faults_done};
const Step rule_before{Step::before_rule};
const Step rule_after{Step::after_rule};
const Step session_end{Step::end};

struct JudgeCase {
    const char* name;
    std::string rules;  ///< YAML under `rules:`: the connection rule `c` and/or the request rule `q`
    bool deferred;      ///< a drawn tcp fault may still end the connection
    std::vector<Step> steps;
    /// Each `expectation` event, in order, as "result outcome [status]".
    std::vector<std::string> expected;
};

const std::string reject_unknown_ca = "  - name: c\n    certificate: self-signed\n    expect: {reject: unknown_ca}\n";
const std::string accept_403 = "  - name: c\n    certificate: good\n    expect: {accept: true, status: 403}\n";
const std::string accept_any = "  - name: c\n    certificate: good\n    expect: {accept: true}\n";
const std::string reject_reset = "  - name: c\n    tcp: [{type: limit_data, bytes: 10 bytes}]\n    expect: {reject: [reset, closed]}\n";
const std::string answers_403 = "  - name: q\n    match: {path: /x}\n    http: {status: 403}\n";
const std::string answers_503 = "  - name: q\n    match: {path: /x}\n    http: {status: 503}\n";
const std::string answers_500_own_expect = "  - name: q\n    match: {path: /x}\n    http: {status: 500}\n    expect: {accept: true}\n";
const std::string reset_then_answer =
    "  - name: c\n    tcp: [{type: reset, timeout: 1s}]\n    http: {status: 200}\n    expect: {reject: [reset]}\n";
const std::string deferred_accept_403 =
    "  - name: c\n    tcp: [{type: limit_data, bytes: 1000 bytes}]\n    expect: {accept: true, status: 403}\n";

const std::vector<JudgeCase> cases = {
    {"verdict-only rule: an alert is judged at the verdict",
     reject_unknown_ca,
     false,
     {verdict_of(Outcome::alert, TlsAlert::unknown_ca), session_end},
     {"pass alert"}},
    {"verdict-only rule: accepted fails a reject expectation at once",
     reject_unknown_ca,
     false,
     {verdict_of(Outcome::accepted), answered(200), session_end},
     {"fail accepted"}},
    {"accept without status: met at the verdict, the answer changes nothing",
     accept_any,
     false,
     {verdict_of(Outcome::accepted), answered(500), session_end},
     {"pass accepted"}},
    {"waiting for a status: the default answer's status decides",
     accept_403,
     false,
     {verdict_of(Outcome::accepted), answered(403), answered(200), session_end},
     {"pass accepted 403"}},
    {"waiting for a status: the wrong status fails",
     accept_403,
     false,
     {verdict_of(Outcome::accepted), answered(200)},
     {"fail accepted 200"}},
    {"waiting for a status: a refusal is judged at the verdict",
     accept_403,
     false,
     {verdict_of(Outcome::alert, TlsAlert::bad_certificate), answered(403)},
     {"fail alert"}},
    {"connection ends before any answer: judged at the end with no status",
     accept_403,
     false,
     {verdict_of(Outcome::accepted), session_end},
     {"fail accepted"}},
    {"connection ends before any verdict: the teardown verdict is judged", reject_unknown_ca, false, {session_end}, {"fail aborted"}},
    {"deferred by tcp faults, then a fault fires: the fault is what the client saw",
     reject_reset,
     true,
     {verdict_of(Outcome::accepted), faults_fired(Outcome::reset), session_end},
     {"pass reset"}},
    {"deferred by tcp faults, no fault fires: the verdict seen before is judged",
     reject_reset,
     true,
     {verdict_of(Outcome::accepted), faults_quiet, session_end},
     {"fail accepted"}},
    {"deferred: nothing is written before the faults are done", reject_reset, true, {verdict_of(Outcome::closed), answered(200)}, {}},
    {"canned answer: the rule's status judges the connection rule",
     accept_403 + answers_403,
     false,
     {verdict_of(Outcome::accepted), rule_before, rule_after, session_end},
     {"pass accepted 403"}},
    {"canned answer without an expectation of its own judges nothing more",
     accept_any + answers_503,
     false,
     {verdict_of(Outcome::accepted), rule_before, rule_after, session_end},
     {"pass accepted"}},
    {"canned answer with its own expectation: judged for every request, before the answer",
     answers_500_own_expect,
     false,
     {rule_before, rule_after, rule_before, rule_after},
     {"pass accepted 500", "pass accepted 500"}},
    {"deferred canned answer: the latest (fullest) observation is kept",
     deferred_accept_403 + answers_403,
     true,
     {verdict_of(Outcome::accepted), rule_before, rule_after, faults_quiet},
     {"pass accepted 403"}},
    {"the connection rule answering a request itself is judged once, deferred by its tcp faults",
     reset_then_answer,
     true,
     {verdict_of(Outcome::accepted), rule_before, faults_fired(Outcome::reset), rule_after, session_end},
     {"pass reset"}},
    {"only the first verdict counts",
     reject_unknown_ca,
     false,
     {verdict_of(Outcome::accepted), verdict_of(Outcome::alert, TlsAlert::unknown_ca), session_end},
     {"fail accepted"}},
};

/// "pass alert", "fail accepted 200": what one `expectation` line says.
std::string summary_of(const std::string& line) {
    std::smatch result, outcome, status;
    std::regex_search(line, result, std::regex("\"result\":\"([a-z]+)\""));
    std::regex_search(line, outcome, std::regex("\"outcome\":\"([a-z_]+)\""));
    std::string text = result[1].str() + " " + outcome[1].str();
    if (std::regex_search(line, status, std::regex("\"status\":([0-9]+)"))) text += " " + status[1].str();
    return text;
}

std::vector<std::string> run_case(const JudgeCase& c) {
    auto scenario = scenarios::test::load_rules(c.rules);
    const scenarios::Rule* connection_rule = nullptr;
    const scenarios::Rule* request_rule = nullptr;
    for (const auto& rule : scenario->rules) {
        if (rule.name == "c") connection_rule = &rule;
        if (rule.name == "q" || rule.http) request_rule = &rule;  // a connection rule may answer requests too
    }
    proxy::EventFeed feed;
    proxy::EventLog log("");
    log.attach_feed(&feed);
    proxy::ConsoleView console(nullptr);
    {
        proxy::Connection conn(log, console, proxy::ListenerKind::sni, "127.0.0.1:1", "127.0.0.1:2");
        proxy::ExpectationJudge judge(conn);
        judge.arm("t", connection_rule, c.deferred);
        for (const auto& step : c.steps) {
            switch (step.kind) {
            case Step::verdict:
                conn.verdict({step.outcome, proxy::Phase::request, step.alert, {}, {}});
                judge.on_verdict(*conn.recorded_verdict());
                break;
            case Step::answer: judge.on_answer(step.status); break;
            case Step::before_rule: judge.before_rule_answer("t", *request_rule); break;
            case Step::after_rule: judge.after_rule_answer("t", *request_rule); break;
            case Step::faults_done: judge.after_tcp_faults(step.fired ? std::optional<Outcome>(step.outcome) : std::nullopt); break;
            case Step::end:
                if (!conn.recorded_verdict()) conn.verdict(conn.teardown_verdict());
                judge.on_end(conn.recorded_verdict());
                break;
            }
        }
    }
    std::vector<std::string> seen;
    for (const auto& event : feed.since(0))
        if (event.line.find("\"event\":\"expectation\"") != std::string::npos) seen.push_back(summary_of(event.line));
    return seen;
}

}  // namespace

TEST_CASE("expectation judge: a table of what a session tells it and the expectation events it writes") {
    for (const auto& c : cases) {
        INFO(std::string(c.name));
        const auto seen = run_case(c);
        std::string seen_text;
        for (const auto& s : seen) seen_text += "[" + s + "] ";
        INFO("written: " << seen_text);
        CHECK(seen == c.expected);
    }
}
