// The pass/fail rule of `tlsfault check` (docs/check.md, "How a scenario is judged").
#include "cli/check/check_judge.hpp"

#include <boost/json.hpp>

#include <cctype>
#include <sstream>
#include <vector>

namespace tlsfault::cli::check {
namespace {

namespace json = boost::json;

std::string text_of(const json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    if (!v) return {};
    if (v->is_string()) return std::string(v->as_string());
    if (v->is_int64()) return std::to_string(v->as_int64());
    if (v->is_uint64()) return std::to_string(v->as_uint64());
    return {};
}

/// The status of the record's last request that got one; 0 when none did.
int last_status(const json::object& record) {
    const auto* requests = record.if_contains("requests");
    if (!requests || !requests->is_array()) return 0;
    int status = 0;
    for (const auto& r : requests->as_array())
        if (r.is_object())
            if (const auto* s = r.as_object().if_contains("status"); s && s->is_number()) status = static_cast<int>(s->to_number<double>());
    return status;
}

const json::object* expectation_of(const json::value& record) {
    if (!record.is_object()) return nullptr;
    const auto* e = record.as_object().if_contains("expectation");
    return e && e->is_object() ? &e->as_object() : nullptr;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (!line.empty()) lines.push_back(line);
    }
    return lines;
}

/// Whether a line reads like a client's error (s_client prints "depth=0 ..." before its
/// "verify error:num=10:certificate has expired").
bool looks_like_an_error(std::string line) {
    for (auto& c : line) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* word : {"error", "fail", "exception", "alert", "problem", "refused", "reset", "denied", "timed out", "not trusted"})
        if (line.find(word) != std::string::npos) return true;
    return false;
}

}  // namespace

std::string verdict_text(const json::object& record) {
    const auto* v = record.if_contains("verdict");
    if (!v || !v->is_object()) return "no verdict";
    const auto& verdict = v->as_object();
    std::string text = text_of(verdict, "outcome");
    if (const auto alert = text_of(verdict, "alert"); !alert.empty()) text += " " + alert;
    if (const auto sent = text_of(verdict, "sent_alert"); !sent.empty()) text += " (sent " + sent + ")";
    if (const int status = last_status(record)) text += " (HTTP " + std::to_string(status) + ")";
    return text;
}

void judge(const json::array& records, ScenarioOutcome& outcome) {
    outcome.connections = static_cast<int>(records.size());
    outcome.expectation = "none";
    if (records.empty()) {
        outcome.verdict = "none";
        outcome.passed = false;
        outcome.reason = "tlsfault saw no connection for this scenario: did the client go through {proxy} (or to {sni_addr})?";
        return;
    }
    const auto& newest = records.back().as_object();
    outcome.verdict = verdict_text(newest);
    if (records.size() > 1) outcome.verdict += " (" + std::to_string(records.size()) + " connections)";
    int judged = 0;
    bool sequence_passed = false;  // tlsfault saw the sequence's own request succeed
    std::string not_judged;        // why the first connection tlsfault did not judge was left out
    for (const auto& record : records) {
        const auto* e = expectation_of(record);
        if (!e) continue;
        const auto result = text_of(*e, "result");
        sequence_passed |= result == "pass" && text_of(*e, "outcome") == "sequence";
        if (result == "not_judged") {  // a speculative connection, a client the expectation is not about
            if (not_judged.empty()) not_judged = text_of(*e, "reason");
            continue;
        }
        ++judged;
        if (result == "pass") continue;
        outcome.expectation = "fail";
        outcome.passed = false;
        outcome.policy = text_of(*e, "policy");
        outcome.reason = "expected: " + text_of(*e, "expected") + "; tlsfault saw: " + verdict_text(record.as_object());
        outcome.why = text_of(*e, "reason");
        if (!outcome.why.empty()) outcome.reason += " (" + outcome.why + ")";
        return;
    }
    if (judged == 0 && !not_judged.empty()) {
        outcome.expectation = "not_judged";
        outcome.passed = false;
        outcome.not_judged = true;
        outcome.why = not_judged;
        outcome.reason = "tlsfault did not judge this client: " + not_judged;
        return;
    }
    // A retry sequence is judged when it ends (up to its `within` after the last failure): the
    // client's last status decides below even before that event is written.
    if (judged == 0 && !outcome.scenario.retry_then_succeed) {
        outcome.passed = false;
        outcome.reason = "no connection met a rule with an expect, so tlsfault judged nothing (verdict: " + outcome.verdict + ")";
        return;
    }
    outcome.expectation = "pass";
    const int status = last_status(newest);
    // Only the sequence's own success counts: a browser's favicon answered 200 on the same
    // connection is not the retried request.
    if (outcome.scenario.retry_then_succeed && !sequence_passed) {
        outcome.passed = false;
        outcome.expectation = "fail";
        // The client's process has ended: it will not come back, as the sequence's own event
        // (written when the window is over) will say.
        outcome.policy = "retry";
        const std::string last = status ? "HTTP " + std::to_string(status) : outcome.verdict;
        const bool other_request_ok = status >= 200 && status < 400;  // e.g. the favicon, not the failed request
        outcome.why = other_request_ok
                          ? "did not retry the failed request to a success (its last answer, " + last + ", was another request's)"
                          : "did not retry to a success: its last connection got " + last;
        outcome.reason = "expected: " + outcome.scenario.expected + "; " + outcome.why + ", after " + std::to_string(records.size()) +
                         " connection(s), and the client ended: it does not retry (or not enough)";
        return;
    }
    outcome.passed = true;
    outcome.reason = "expected: " + outcome.scenario.expected + "; tlsfault saw: " + outcome.verdict;
}

std::string client_message(const std::string& err, const std::string& out) {
    for (const auto* stream : {&err, &out}) {
        const auto lines = lines_of(*stream);
        if (lines.empty()) continue;
        if (lines.front().starts_with("Traceback (most recent call last)")) return lines.back();
        for (const auto& line : lines)
            if (looks_like_an_error(line)) return line;
        return lines.front();
    }
    return {};
}

}  // namespace tlsfault::cli::check
