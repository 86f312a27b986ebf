#include "scenarios/model/expect.hpp"

#include <algorithm>

namespace tlsfault::scenarios {
namespace {

void read_reject(const YAML::Node& node, const std::string& path, Diagnostics& diag, Expect& out) {
    auto ways = read_string_list(node, path, diag);
    if (!ways) return;
    std::vector<std::string_view> names{"any", "closed", "reset", "timeout"};
    for (auto [name, value] : tls_alert_names()) names.push_back(name);
    for (const auto& w : *ways) {
        if (w == "any") out.any_alert = out.closed = out.reset = true;
        else if (w == "closed") out.closed = true;
        else if (w == "reset") out.reset = true;
        else if (w == "timeout") out.timeout = true;
        else if (auto alert = parse_tls_alert(w)) out.alerts.push_back(*alert);
        else diag.error(node, path, "unknown alert '" + w + "'" + did_you_mean(w, names) + " (an alert name, any, closed, reset or timeout)");
    }
}

}  // namespace

bool expectation_met(const Expect& e, const ObservedVerdict& v) {
    switch (e.outcome) {
        case Expect::Outcome::accept: return v.outcome == "accepted" && (!e.status || v.status == e.status);
        case Expect::Outcome::retry_then_succeed: return v.outcome == "accepted";
        case Expect::Outcome::reject:
            if (v.outcome == "alert")
                return e.any_alert || (v.alert && std::find(e.alerts.begin(), e.alerts.end(), *v.alert) != e.alerts.end());
            if (v.outcome == "handshake_error" && v.sent_alert)
                return e.any_alert || std::find(e.alerts.begin(), e.alerts.end(), *v.sent_alert) != e.alerts.end();
            return (v.outcome == "closed" && e.closed) || (v.outcome == "reset" && e.reset) || (v.outcome == "timeout" && e.timeout);
    }
    return false;
}

std::optional<Expect> parse_expect(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    MapReader m(node, path, diag, {"reject", "accept", "status", "retry_then_succeed", "note"});
    if (!m.ok()) return std::nullopt;
    Expect out;
    int outcomes = m.has("reject") + m.has("accept") + m.has("retry_then_succeed");
    if (outcomes != 1) {
        diag.error(node, path, "give exactly one of reject, accept or retry_then_succeed");
        return std::nullopt;
    }
    if (m.has("reject")) {
        out.outcome = Expect::Outcome::reject;
        read_reject(m.get("reject"), m.path("reject"), diag, out);
    } else if (m.has("accept")) {
        out.outcome = Expect::Outcome::accept;
        if (!read_bool(m.get("accept"), m.path("accept"), diag).value_or(true))
            diag.error(m.get("accept"), m.path("accept"), "accept: false is reject: any");
    } else {
        out.outcome = Expect::Outcome::retry_then_succeed;
        out.attempts = static_cast<std::uint64_t>(read_int(m.get("retry_then_succeed"), m.path("retry_then_succeed"), diag, 2, 1000).value_or(2));
    }
    if (m.has("status")) {
        if (out.outcome == Expect::Outcome::reject) diag.error(m.get("status"), m.path("status"), "a rejecting client sees no HTTP status");
        out.status = read_int(m.get("status"), m.path("status"), diag, 100, 999);
    }
    if (m.has("note")) out.note = read_string(m.get("note"), m.path("note"), diag).value_or("");
    return out;
}

std::string describe(const Expect& e) {
    switch (e.outcome) {
        case Expect::Outcome::accept: return e.status ? "accept, and get HTTP " + std::to_string(*e.status) : "accept";
        case Expect::Outcome::retry_then_succeed: return "see the failure, retry, and succeed by attempt " + std::to_string(e.attempts);
        case Expect::Outcome::reject: break;
    }
    std::vector<std::string> ways;
    if (e.any_alert) ways.push_back("any alert");
    for (auto a : e.alerts) ways.push_back(std::string(to_string(a)));
    if (e.closed && !e.any_alert) ways.push_back("a close");
    if (e.reset && !e.any_alert) ways.push_back("a reset");
    if (e.any_alert) ways.push_back("a close or reset");
    if (e.timeout) ways.push_back("a timeout");
    std::string out = "reject with ";
    for (std::size_t i = 0; i < ways.size(); ++i) out += (i == 0 ? "" : i + 1 == ways.size() ? " or " : ", ") + ways[i];
    return out;
}

}  // namespace tlsfault::scenarios
