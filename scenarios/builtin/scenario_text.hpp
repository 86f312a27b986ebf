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

/// Where the engine listens and where its lab root is, for the client lines. `explain` uses the
/// defaults; `tlsfault run` fills in its real ports and CA path.
struct ClientLineContext {
    std::string proxy = "127.0.0.1:8080";       ///< explicit proxy; "" when it is off
    std::string sni = "127.0.0.1:8443";         ///< SNI listener; "" when it is off
    std::string revocation = "127.0.0.1:8082";  ///< CRL/OCSP listener
    std::string ca = "$(tlsfault ca path)";     ///< the lab root: a path, or a shell expression for one
};

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
/// port, path and query. `{proxy}`, `{sni}`, `{revocation}` and `{ca}` in a line are replaced
/// from `where`.
std::vector<std::string> try_commands(const Scenario& scenario, const ClientLineContext& where = {});

/// The full `explain` text: symptom, cause, fix, expected client behaviour and messages, how to run.
std::string explain_text(const Scenario& scenario, const ClientLineContext& where = {});

/// The catalogue as a Markdown page, grouped like `list`.
std::string catalogue_markdown(std::span<const std::shared_ptr<const Scenario>> scenarios);

}  // namespace tlsfault::scenarios
