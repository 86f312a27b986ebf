#include "scenarios/model/match.hpp"

#include "scenarios/model/letter_case.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>

namespace tlsfault::scenarios {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

std::optional<Glob> read_glob(const YAML::Node& node, const std::string& path, Diagnostics& diag, bool case_insensitive) {
    auto text = read_text(node, path, diag);
    if (!text) return std::nullopt;
    std::string error;
    auto glob = Glob::compile(*text, case_insensitive, error);
    if (!glob) diag.error(node, path, error);
    return glob;
}

/// Latin-1 so that the path is matched byte by byte (a path is bytes, not always UTF-8).
std::shared_ptr<const re2::RE2> compile_path_regex(const std::string& pattern) {
    re2::RE2::Options options;
    options.set_encoding(re2::RE2::Options::EncodingLatin1);
    options.set_log_errors(false);
    return std::make_shared<const re2::RE2>(pattern, options);
}

std::optional<PathPattern> read_path(const YAML::Node& node, const std::string& path, Diagnostics& diag, bool case_insensitive = false) {
    PathPattern out;
    if (node.IsScalar()) {
        out.glob = read_glob(node, path, diag, case_insensitive);
        if (!out.glob) return std::nullopt;
        out.source = node.Scalar();
        if (!out.source.empty() && out.source[0] != '/' && out.source[0] != '*')
            diag.error(node, path, "a path starts with '/' (or a '*'), got '" + out.source + "'");
        if (out.source.find('?') != std::string::npos && out.glob->pattern().find("\\?") == std::string::npos)
            diag.error(node, path, "'?' in a path glob matches any one character; put the query in match.query");
        return out;
    }
    MapReader m(node, path, diag, {"glob", "regex", "case"});
    if (!m.ok()) return std::nullopt;
    if (m.has("glob") == m.has("regex")) {
        diag.error(node, path, "give exactly one of glob or regex");
        return std::nullopt;
    }
    if (m.has("glob")) {
        auto insensitive = m.has("case") ? read_case_insensitive(m.get("case"), m.path("case"), diag) : false;
        return read_path(m.get("glob"), m.path("glob"), diag, insensitive.value_or(false));
    }
    if (m.has("case")) diag.error(m.get("case"), m.path("case"), "case applies to a glob; write a case-insensitive regex instead");
    auto text = read_text(m.get("regex"), m.path("regex"), diag);
    if (!text) return std::nullopt;
    out.regex = compile_path_regex(*text);
    if (!out.regex->ok()) {
        diag.error(
            m.get("regex"), m.path("regex"),
            "bad regex '" + *text + "': " + out.regex->error() + " (RE2 syntax: no backreferences or lookaround; see docs/scenarios.md)");
        return std::nullopt;
    }
    out.source = *text;
    return out;
}

std::optional<AttemptRange> read_attempt(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    auto text = read_text(node, path, diag);
    if (!text) return std::nullopt;
    auto number = [](std::string_view s, std::uint64_t& out) {
        if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
        out = std::stoull(std::string(s));
        return out >= 1;
    };
    AttemptRange r;
    const std::string& s = *text;
    bool ok = false;
    if (auto dash = s.find('-'); dash != std::string::npos) {
        ok = number(std::string_view(s).substr(0, dash), r.first) && number(std::string_view(s).substr(dash + 1), r.last) &&
             r.first <= r.last;
    } else if (!s.empty() && s.back() == '+') {
        ok = number(std::string_view(s).substr(0, s.size() - 1), r.first);
    } else {
        ok = number(s, r.first);
        r.last = r.first;
    }
    if (!ok) {
        diag.error(node, path, "expected an attempt number or range (3, \"1-3\", \"4+\"; the first attempt is 1), got '" + s + "'");
        return std::nullopt;
    }
    return r;
}

void read_client_cert(const YAML::Node& node, const std::string& path, Diagnostics& diag, Match& out) {
    MapReader m(node, path, diag, {"presented", "valid"});
    if (!m.ok()) return;
    if (m.has("presented")) out.client_cert_presented = read_bool(m.get("presented"), m.path("presented"), diag);
    if (m.has("valid")) out.client_cert_valid = read_bool(m.get("valid"), m.path("valid"), diag);
}

void read_headers(const YAML::Node& node, const std::string& path, Diagnostics& diag, Match& out) {
    if (!node.IsMap()) {
        diag.error(node, path, "expected a mapping of header name to value pattern, got " + describe(node));
        return;
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
        auto name = read_text(it->first, path, diag);
        if (!name) continue;
        auto value = read_glob(it->second, path + "." + *name, diag, false);
        if (value) out.headers.push_back({*name, *value});
    }
}

void read_ja3(const YAML::Node& node, const std::string& path, Diagnostics& diag, Match& out) {
    auto list = read_string_list(node, path, diag);
    if (!list) return;
    for (auto& h : *list) {
        bool hex = h.size() == 32 && std::all_of(h.begin(), h.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
        if (!hex) {
            diag.error(node, path, "a JA3 fingerprint is 32 hex digits (the MD5 of the JA3 string), got '" + h + "'");
            continue;
        }
        std::transform(h.begin(), h.end(), h.begin(),
                       [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
        out.ja3.push_back(h);
    }
}

void read_ports(const YAML::Node& node, const std::string& path, Diagnostics& diag, Match& out) {
    if (node.IsSequence()) {
        for (std::size_t i = 0; i < node.size(); ++i)
            if (auto p = read_int(node[i], path + "[" + std::to_string(i) + "]", diag, 1, 65535))
                out.ports.push_back(static_cast<std::uint16_t>(*p));
    } else if (auto p = read_int(node, path, diag, 1, 65535)) {
        out.ports.push_back(static_cast<std::uint16_t>(*p));
    }
}

/// match.listener: one listener kind or a list; the message for an unknown one says which exist
/// (the engine binds only its own listeners, so a scenario cannot name another).
void read_listeners(const YAML::Node& node, const std::string& path, Diagnostics& diag, Match& out) {
    auto names = read_string_list(node, path, diag);
    if (!names) return;
    for (const auto& name : *names) {
        if (auto kind = value_of(matchable_listener_table, name))
            out.listeners.push_back(*kind);
        else
            diag.error(node, path, "no listener named '" + name + "'" + did_you_mean(name, names_of(matchable_listener_table)));
    }
}

}  // namespace

bool PathPattern::matches(const std::string& path) const {
    if (glob) return glob->matches(path);
    return regex && path.size() < regex_input_limit && re2::RE2::PartialMatch(path, *regex);
}

bool Match::needs_request() const {
    return !methods.empty() || path || query || !headers.empty() || client_cert_presented || client_cert_valid;
}

bool Match::matches_connection(const ConnectionFacts& facts) const {
    if (!hosts.empty() && std::none_of(hosts.begin(), hosts.end(), [&](const Glob& g) { return g.matches(facts.host); })) return false;
    if (!ports.empty() && std::find(ports.begin(), ports.end(), facts.port) == ports.end()) return false;
    if (!listeners.empty() && std::find(listeners.begin(), listeners.end(), facts.listener) == listeners.end()) return false;
    if (!ja3.empty() && std::find(ja3.begin(), ja3.end(), facts.ja3) == ja3.end()) return false;
    if (attempt && !attempt->contains(facts.attempt)) return false;
    return true;
}

bool Match::matches_request(const RequestFacts& facts) const {
    if (!methods.empty() && std::find(methods.begin(), methods.end(), facts.method) == methods.end()) return false;
    if (path && !path->matches(facts.path)) return false;
    if (query && !query->matches(facts.query)) return false;
    for (const auto& condition : headers) {
        bool found = false;
        for (const auto& [name, value] : facts.headers) found = found || (iequals(name, condition.name) && condition.value.matches(value));
        if (!found) return false;
    }
    if (client_cert_presented && *client_cert_presented != facts.client_cert_presented) return false;
    if (client_cert_valid && *client_cert_valid != facts.client_cert_valid) return false;
    return true;
}

Match parse_match(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    Match out;
    MapReader m(node, path, diag, {"host", "port", "listener", "method", "path", "query", "headers", "client_cert", "ja3", "attempt"});
    if (!m.ok()) return out;
    if (m.has("host")) {
        if (auto hosts = read_string_list(m.get("host"), m.path("host"), diag)) {
            for (const auto& h : *hosts) {
                std::string error;
                if (auto g = Glob::compile(h, true, error))
                    out.hosts.push_back(*g);
                else
                    diag.error(m.get("host"), m.path("host"), error);
            }
        }
    }
    if (m.has("port")) read_ports(m.get("port"), m.path("port"), diag, out);
    if (m.has("listener")) read_listeners(m.get("listener"), m.path("listener"), diag, out);
    if (m.has("method")) {
        if (auto methods = read_string_list(m.get("method"), m.path("method"), diag)) {
            for (const auto& method : *methods) {
                bool token = !method.empty() &&
                             std::all_of(method.begin(), method.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
                if (!token)
                    diag.error(m.get("method"), m.path("method"),
                               "an HTTP method is upper-case letters (GET, POST, ...), got '" + method + "'");
                else
                    out.methods.push_back(method);
            }
        }
    }
    if (m.has("path")) out.path = read_path(m.get("path"), m.path("path"), diag);
    if (m.has("query")) out.query = read_glob(m.get("query"), m.path("query"), diag, false);
    if (m.has("headers")) read_headers(m.get("headers"), m.path("headers"), diag, out);
    if (m.has("client_cert")) read_client_cert(m.get("client_cert"), m.path("client_cert"), diag, out);
    if (m.has("ja3")) read_ja3(m.get("ja3"), m.path("ja3"), diag, out);
    if (m.has("attempt")) out.attempt = read_attempt(m.get("attempt"), m.path("attempt"), diag);
    return out;
}

}  // namespace tlsfault::scenarios
