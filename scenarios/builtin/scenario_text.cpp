#include "scenarios/builtin/scenario_text.hpp"

#include "scenarios/builtin/builtin_catalogue.hpp"
#include "scenarios/model/faults/fault_describe.hpp"
#include "scenarios/model/units.hpp"

#include <optional>
#include <sstream>

namespace tlsfault::scenarios {
namespace {

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : std::string(separator)) + p;
    return out;
}

std::string summarize_match(const Match& m) {
    std::vector<std::string> parts;
    std::vector<std::string> hosts;
    for (const auto& h : m.hosts) hosts.push_back(h.pattern());
    if (!hosts.empty()) parts.push_back("host " + join(hosts, "|"));
    if (!m.ports.empty()) parts.push_back("port " + std::to_string(m.ports.front()));
    std::vector<std::string> listeners;
    for (auto l : m.listeners) listeners.emplace_back(to_string(l));
    if (!listeners.empty()) parts.push_back("listener " + join(listeners, "|"));
    if (!m.methods.empty()) parts.push_back(join(m.methods, "|"));
    if (m.path) parts.push_back("path " + m.path->source + (m.query ? "?" + m.query->pattern() : ""));
    for (const auto& h : m.headers) parts.push_back("header " + h.name + ": " + h.value.pattern());
    if (m.client_cert_presented) parts.push_back(*m.client_cert_presented ? "client cert presented" : "no client cert");
    if (m.client_cert_valid) parts.push_back(*m.client_cert_valid ? "client cert valid" : "client cert not valid");
    if (!m.ja3.empty()) parts.push_back("JA3 " + join(m.ja3, "|"));
    if (m.attempt) parts.push_back("attempt " + std::to_string(m.attempt->first) + (m.attempt->last == m.attempt->first ? "" : "+"));
    return parts.empty() ? "any connection" : join(parts, ", ");
}

std::string summarize_tls(const TlsAction& t) {
    std::vector<std::string> parts;
    if (t.min_version) parts.push_back("TLS >= " + std::string(to_string(*t.min_version)));
    if (t.max_version) parts.push_back("TLS <= " + std::string(to_string(*t.max_version)));
    if (!t.ciphers.empty()) parts.push_back("ciphers " + join(t.ciphers, ":"));
    if (!t.ciphersuites.empty()) parts.push_back("TLS 1.3 suites " + join(t.ciphersuites, ":"));
    if (!t.groups.empty()) parts.push_back("groups " + join(t.groups, ":"));
    if (t.alpn) parts.push_back("ALPN " + *t.alpn);
    if (t.security_level) parts.push_back("security level " + std::to_string(*t.security_level));
    for (const auto& f : t.faults) parts.push_back(describe(f.settings));
    return join(parts, ", ");
}

std::string summarize_http(const HttpAction& h) {
    if (h.forward) return "forward upstream";
    std::string out = "HTTP " + std::to_string(h.status) + " " + h.reason;
    if (h.delay.count() > 0) out += " after " + format_duration(h.delay);
    if (h.abort_after) out += ", reset after " + format_size(*h.abort_after);
    if (h.truncate_body) out += ", body cut at " + format_size(*h.truncate_body);
    if (h.malformed_chunk) out += ", malformed chunk";
    return out;
}

std::string summarize_sequence(const Sequence& s) {
    switch (s.kind) {
    case Sequence::Kind::always: return "";
    case Sequence::Kind::first: return "on the first " + std::to_string(s.count) + " attempt(s) only";
    case Sequence::Kind::every: return "on every " + std::to_string(s.count) + "th attempt";
    case Sequence::Kind::probability: {
        std::ostringstream p;
        p << "with probability " << s.probability << " (seed " << s.seed << ")";
        return p.str();
    }
    }
    return "";
}

// Words of `text` on lines of at most `width` columns, each line starting with `indent`.
std::string wrap(const std::string& text, std::size_t width, const std::string& indent) {
    std::istringstream words(text);
    std::string word, line, out;
    while (words >> word) {
        if (!line.empty() && indent.size() + line.size() + 1 + word.size() > width) {
            out += indent + line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty()) out += indent + line + "\n";
    return out;
}

std::string table_cell(std::string text) {
    for (std::size_t i = 0; (i = text.find('|', i)) != std::string::npos; i += 2) text.replace(i, 1, "\\|");
    return text;
}

/// ", intermediate revoked (on the root's CRL, OCSP says revoked)": what `chain.intermediate_status` does.
std::string intermediate_status_text(const ChainAction& chain) {
    switch (chain.intermediate_status) {
    case certgen::IntermediateStatus::good: return "";
    case certgen::IntermediateStatus::revoked: return ", intermediate revoked (on the root's CRL; OCSP says revoked)";
    case certgen::IntermediateStatus::unreachable: return ", intermediate's CRL and OCSP unreachable (closed port)";
    }
    return "";
}

/// A rule that shows the client a server (certificate, TLS, HTTP), not only a network fault:
/// the one whose host a client should be pointed at (Umbrella's API, not its revocation hosts).
bool shows_a_server(const Rule& r) { return r.certificate || r.chain || r.tls || r.client_cert || r.http; }

const Glob* first_literal_host(const Scenario& s) {
    for (bool servers_only : {true, false})
        for (const auto& r : s.rules)
            if (!servers_only || shows_a_server(r))
                for (const auto& h : r.match.hosts)
                    if (h.is_literal()) return &h;
    return nullptr;
}

/// `{proxy}`, `{sni}`, `{revocation}` and `{ca}` replaced from `where`; other braces kept.
std::string fill_placeholders(std::string line, const ClientLineContext& where) {
    const std::pair<std::string_view, const std::string*> names[] = {
        {"{proxy}", &where.proxy}, {"{sni}", &where.sni}, {"{revocation}", &where.revocation}, {"{ca}", &where.ca}};
    for (const auto& [name, value] : names)
        for (auto at = line.find(name); at != std::string::npos; at = line.find(name, at + value->size()))
            line.replace(at, name.size(), *value);
    return line;
}

/// A path the glob matches, for a client line: its text, each `*` taken as "1" (the management
/// point id in /CCM_PROXY_MUTUALAUTH/*/...); nullopt for other wildcards.
std::optional<std::string> example_path(const Glob& glob) {
    if (glob.is_literal()) return glob.literal_text();
    if (glob.pattern().find_first_of("?[\\") != std::string::npos) return std::nullopt;
    std::string out;
    for (char c : glob.pattern()) out += c == '*' ? std::string("1") : std::string(1, c);
    return out;
}

}  // namespace

ScenarioTarget scenario_target(const Scenario& s) {
    ScenarioTarget target;
    const Glob* literal = first_literal_host(s);
    target.host = literal ? literal->literal_text() : s.name + ".tlsfault.test";
    for (const auto& r : s.rules) {
        if (target.port == 443 && !r.match.ports.empty()) target.port = r.match.ports.front();
        if (target.path == "/" && r.match.path && r.match.path->glob && example_path(*r.match.path->glob)) {
            target.path = *example_path(*r.match.path->glob);
            if (r.match.query && r.match.query->is_literal()) target.path += "?" + r.match.query->literal_text();
        }
    }
    target.url = "https://" + target.host + (target.port == 443 ? "" : ":" + std::to_string(target.port)) + target.path;
    return target;
}

std::string summarize_rule(const Rule& r) {
    std::vector<std::string> actions;
    if (r.certificate)
        actions.push_back("certificate " +
                          (r.certificate->is_inline ? "inline (from " + r.certificate->base_profile + ")" : r.certificate->base_profile));
    if (r.chain) actions.push_back("chain " + std::string(to_string(r.chain->kind)) + intermediate_status_text(*r.chain));
    if (r.tls) actions.push_back(summarize_tls(*r.tls));
    if (r.client_cert)
        actions.push_back(std::string(r.client_cert->mode == ClientCertAction::Mode::require ? "require" : "request") +
                          " a client certificate");
    for (const auto& f : r.tcp)
        actions.push_back("tcp " + describe(f.settings) + (f.stream == FaultStream::upstream ? " (upstream)" : "") +
                          (f.probability < 1.0 ? " (some connections)" : ""));
    if (r.http) actions.push_back(summarize_http(*r.http));
    std::string out = summarize_match(r.match) + " → " + (actions.empty() ? "the default answer" : join(actions, "; "));
    if (auto seq = summarize_sequence(r.sequence); !seq.empty()) out += " (" + seq + ")";
    if (r.expect) out += "; a correct client should " + describe(*r.expect);
    if (r.expect && !describe_judging(*r.expect).empty()) out += " (" + describe_judging(*r.expect) + ")";
    return out;
}

std::vector<std::string> try_commands(const Scenario& s, const ClientLineContext& where) {
    std::vector<std::string> out = s.description.try_commands;
    if (out.empty()) {
        const auto target = scenario_target(s);
        const std::string& host = target.host;
        out.push_back("tlsfault run " + s.name);
        // Without the explicit proxy, curl reaches the SNI listener with --connect-to.
        const std::string route = where.proxy.empty() ? "--connect-to " + host + ":443:{sni}" : "--proxy http://{proxy}";
        out.push_back("curl -v " + route + " --cacert \"{ca}\" '" + target.url + "'");
        if (s.group == "tls" || s.group == "certificate")
            out.push_back("openssl s_client " +
                          std::string(where.proxy.empty() ? "-connect {sni}" : "-proxy {proxy} -connect " + host + ":443") +
                          " -servername " + host + " -CAfile \"{ca}\" -verify_return_error </dev/null");
    }
    for (auto& line : out) line = fill_placeholders(line, where);
    return out;
}

std::string explain_text(const Scenario& s, const ClientLineContext& where) {
    std::ostringstream out;
    out << s.name << " — " << s.title << "\n\n";
    out << "Symptom\n" << wrap(s.description.symptom, 96, "  ") << "\n";
    out << "Cause\n" << wrap(s.description.cause, 96, "  ") << "\n";
    out << "Fix\n" << wrap(s.description.fix, 96, "  ") << "\n";
    out << "What tlsfault does, rule by rule (first match wins)\n";
    for (std::size_t i = 0; i < s.rules.size(); ++i) out << "  " << i + 1 << ". " << summarize_rule(s.rules[i]) << "\n";
    if (!s.description.messages.empty()) {
        out << "\nExact client messages to expect\n";
        for (const auto& m : s.description.messages) out << "  " << m.client << ": " << m.text << "\n";
    }
    out << "\nHow to run it\n";
    for (const auto& c : try_commands(s, where)) out << "  " << c << "\n";
    return out.str();
}

std::string catalogue_markdown(std::span<const std::shared_ptr<const Scenario>> scenarios) {
    std::ostringstream out;
    out << "# The scenario catalogue\n\n"
           "Generated by `tlsfault list --markdown`. `tlsfault explain NAME` prints the full training text;\n"
           "`tlsfault run NAME` starts it. The files are in `scenarios/catalogue/`.\n";
    for (const auto& group : scenario_groups()) {
        bool any = false;
        for (const auto& s : scenarios) {
            if (s->group != group.id) continue;
            if (!any) out << "\n## " << group.heading << "\n\n| Scenario | What the client sees | A correct client |\n|---|---|---|\n";
            any = true;
            std::string expect;
            for (const auto& r : s->rules)
                if (r.expect && expect.empty()) expect = describe(*r.expect);
            out << "| `" << s->name << "` | " << table_cell(s->title) << " | " << table_cell(expect) << " |\n";
        }
    }
    return out.str();
}

}  // namespace tlsfault::scenarios
