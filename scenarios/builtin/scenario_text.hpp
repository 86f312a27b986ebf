// Scenarios as text for people: one-line rule summaries, the commands that show a scenario,
// `tlsfault explain` and the Markdown catalogue (`tlsfault list --markdown`).
#pragma once

#include "scenarios/model/scenario.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace tlsfault::scenarios {

/// "host api.opendns.com → certificate untrusted-root; expect reject with unknown_ca".
std::string summarize_rule(const Rule& rule);

/// Where a client goes to meet a scenario: the first literal host its rules match (else
/// NAME.tlsfault.test), the first port other than 443 a rule names, and the first literal path
/// (with its literal query). `url` is `https://host[:port]path`.
struct ScenarioTarget {
    std::string host;
    std::uint16_t port = 443;
    std::string path = "/";  ///< with `?query` when the rule names a literal one
    std::string url;
};
ScenarioTarget scenario_target(const Scenario& scenario);

/// The commands to see a scenario: description.try if given, else `tlsfault run NAME` and a
/// curl line (plus openssl s_client for TLS-level scenarios) built from the first rules' host,
/// port, path and query.
std::vector<std::string> try_commands(const Scenario& scenario);

/// The full `explain` text: symptom, cause, fix, expected client behaviour and messages, how to run.
std::string explain_text(const Scenario& scenario);

/// The catalogue as a Markdown page, grouped like `list`.
std::string catalogue_markdown(std::span<const std::shared_ptr<const Scenario>> scenarios);

}  // namespace tlsfault::scenarios
