// Helpers for the scenario unit tests: load YAML text and get its problems as printed lines.
#pragma once

#include "scenarios/model/match.hpp"
#include "scenarios/model/scenario_loader.hpp"

#include <string>
#include <vector>

namespace tlsfault::scenarios::test {

/// Four lines every snippet starts with, so rules begin on line 5.
inline const std::string header = "name: t\ntitle: T\ndescription: {symptom: s, cause: c, fix: f}\nrules:\n";

/// The problems loading `text` (as "t.yaml") reports, one printed line each; empty when it loads.
inline std::vector<std::string> problems_of(const std::string& text, const std::filesystem::path& base_dir = {}) {
    try {
        load_scenario_text(text, "t.yaml", base_dir);
    } catch (const LoadError& e) {
        std::vector<std::string> lines;
        for (const auto& p : e.problems()) lines.push_back(p.to_string());
        return lines;
    }
    return {};
}

/// A connection from `client` to `host`:443 on the proxy listener.
inline ConnectionFacts connection(const std::string& host, const std::string& client = "127.0.0.1") {
    ConnectionFacts c;
    c.host = host;
    c.port = 443;
    c.listener = ListenerKind::proxy;
    c.client = client;
    return c;
}

/// A GET of `path` (and `query`, without the '?').
inline RequestFacts request(const std::string& path, const std::string& query = "") {
    RequestFacts r;
    r.method = "GET";
    r.path = path;
    r.query = query;
    return r;
}

/// Loads `header + rules`; fails the test with the problems when it does not load.
inline std::shared_ptr<const Scenario> load_rules(const std::string& rules) { return load_scenario_text(header + rules, "t.yaml"); }

}  // namespace tlsfault::scenarios::test
