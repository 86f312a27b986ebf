// Reading and describing `expect`; the judging rules are in expect_judge.cpp.
#include "scenarios/model/expect.hpp"

#include "scenarios/model/units.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace tlsfault::scenarios {
namespace {

constexpr NameTable<ClientPolicy, 9> policy_names{{
    {ClientPolicy::revocation, "revocation"},
    {ClientPolicy::aia, "aia"},
    {ClientPolicy::alpn, "alpn"},
    {ClientPolicy::legacy_tls, "legacy_tls"},
    {ClientPolicy::weak_ciphers, "weak_ciphers"},
    {ClientPolicy::sha1, "sha1"},
    {ClientPolicy::weak_key, "weak_key"},
    {ClientPolicy::cn_fallback, "cn_fallback"},
    {ClientPolicy::must_staple, "must_staple"},
}};

/// TLS versions by their wire value (what a ClientHello offers).
constexpr NameTable<std::uint16_t, 4> version_names{{
    {0x0301, "1.0"},
    {0x0302, "1.1"},
    {0x0303, "1.2"},
    {0x0304, "1.3"},
}};

void read_reject(const YAML::Node& node, const std::string& path, Diagnostics& diag, Expect& out) {
    auto ways = read_string_list(node, path, diag);
    if (!ways) return;
    std::vector<std::string_view> names{"any", "closed", "reset", "timeout"};
    for (auto name : names_of(tls_alert_table)) names.push_back(name);
    for (const auto& w : *ways) {
        if (w == "any")
            out.any_alert = out.closed = out.reset = true;
        else if (w == "closed")
            out.closed = true;
        else if (w == "reset")
            out.reset = true;
        else if (w == "timeout")
            out.timeout = true;
        else if (auto alert = parse_tls_alert(w))
            out.alerts.push_back(*alert);
        else
            diag.error(node, path,
                       "unknown alert '" + w + "'" + did_you_mean(w, names) + " (an alert name, any, closed, reset or timeout)");
    }
}

void read_depends_on(const YAML::Node& node, const std::string& path, Diagnostics& diag, Expect& out) {
    if (node.IsSequence()) {
        for (std::size_t i = 0; i < node.size(); ++i)
            if (auto p = read_enum(node[i], path + "[" + std::to_string(i) + "]", diag, policy_names, "client policy"))
                out.depends_on.push_back(*p);
    } else if (auto p = read_enum(node, path, diag, policy_names, "client policy")) {
        out.depends_on.push_back(*p);
    }
}

/// The keys that only make sense with one outcome, checked once the outcome is known.
void check_outcome_keys(const MapReader& m, const Expect& out, Diagnostics& diag) {
    if (m.has("status") && out.outcome == Expect::Outcome::reject)
        diag.error(m.get("status"), m.path("status"), "a rejecting client sees no HTTP status");
    if (m.has("alert_required") && out.outcome != Expect::Outcome::reject)
        diag.error(m.get("alert_required"), m.path("alert_required"), "alert_required goes with reject");
    if (m.has("alert_required") && out.alert_required && out.alerts.empty() && !out.any_alert)
        diag.error(m.get("alert_required"), m.path("alert_required"), "alert_required needs the alerts it requires in reject");
    if (m.has("within") && out.outcome != Expect::Outcome::retry_then_succeed)
        diag.error(m.get("within"), m.path("within"), "within is the window of retry_then_succeed");
}

}  // namespace

std::optional<Expect> parse_expect(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    MapReader m(node, path, diag,
                {"reject", "accept", "status", "retry_then_succeed", "within", "alert_required", "depends_on", "client_tls_max", "note"});
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
        out.attempts =
            static_cast<std::uint64_t>(read_int(m.get("retry_then_succeed"), m.path("retry_then_succeed"), diag, 2, 1000).value_or(2));
    }
    if (m.has("status")) out.status = read_int(m.get("status"), m.path("status"), diag, 100, 999);
    if (m.has("alert_required")) out.alert_required = read_bool(m.get("alert_required"), m.path("alert_required"), diag).value_or(false);
    if (m.has("within")) out.within = read_duration(m.get("within"), m.path("within"), diag).value_or(out.within);
    if (m.has("depends_on")) read_depends_on(m.get("depends_on"), m.path("depends_on"), diag, out);
    if (m.has("client_tls_max"))
        out.client_tls_max = read_enum(m.get("client_tls_max"), m.path("client_tls_max"), diag, version_names, "TLS version").value_or(0);
    if (m.has("note")) out.note = read_string(m.get("note"), m.path("note"), diag).value_or("");
    check_outcome_keys(m, out, diag);
    return out;
}

std::string tls_version_text(std::uint16_t wire) {
    if (auto name = name_of(version_names, wire, {}); !name.empty()) return std::string(name);
    return "0x" + std::to_string(wire);
}

std::string_view to_string(ClientPolicy policy) { return name_of(policy_names, policy, "revocation"); }

std::string describe_judging(const Expect& e) {
    std::vector<std::string> parts;
    for (auto p : e.depends_on) {
        switch (p) {
        case ClientPolicy::revocation:
            parts.emplace_back(
                "judged from the CRL/OCSP fetches tlsfault links to the connection: a client that never fetches and "
                "accepts fails (does not check revocation)");
            break;
        case ClientPolicy::aia: parts.emplace_back("a client that fetches the intermediate from the AIA URL and connects passes"); break;
        case ClientPolicy::alpn: parts.emplace_back("a client that offers no ALPN is not judged"); break;
        default:
            parts.emplace_back("a client whose policy allows it (" + std::string(to_string(p)) +
                               ") accepts: that fails with the policy named, from what its ClientHello showed");
        }
    }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
    return out;
}

std::string describe(const Expect& e) {
    std::string client = e.client_tls_max ? " (a client offering TLS " + tls_version_text(e.client_tls_max) + " at most)" : "";
    switch (e.outcome) {
    case Expect::Outcome::accept: return (e.status ? "accept, and get HTTP " + std::to_string(*e.status) : "accept") + client;
    case Expect::Outcome::retry_then_succeed:
        return "see the failure, retry, and succeed by attempt " + std::to_string(e.attempts) + " within " + format_duration(e.within) +
               " of each failure";
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
    if (!e.alert_required && !e.any_alert) out += " (or any other refusal)";
    return out + client;
}

}  // namespace tlsfault::scenarios
