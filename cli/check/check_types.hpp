// What `tlsfault check` works with: the scenarios to run, the placeholders a client command
// may use, and the outcome of one scenario (client, tlsfault's verdict, the judgement).
#pragma once

#include <string>
#include <vector>

namespace tlsfault::cli::check {

/// One scenario to check, taken from the catalogue.
struct CheckScenario {
    std::string name;
    std::string group;
    std::string host;  ///< the target's host, port and path (scenario_target)
    int port = 443;
    std::string path;
    std::string url;
    std::string expected;             ///< the first `expect` in words ("reject with unknown_ca")
    bool retry_then_succeed = false;  ///< judged over all the client's connections
};

/// The values substituted for {url} {host} {port} {path} {proxy} {proxy_port} {ca} {sni_addr}
/// {sni_port} {scenario} in each argument of the client command.
struct Placeholders {
    std::string proxy;  ///< http://127.0.0.1:PORT
    int proxy_port = 0;
    std::string sni_addr;  ///< 127.0.0.1:PORT
    int sni_port = 0;
    std::string ca;  ///< the lab root certificate, PEM
};

/// The client's run.
struct ClientOutcome {
    std::vector<std::string> argv;  ///< after expansion
    int exit_code = -1;
    bool timed_out = false;
    bool started = true;
    std::string out, err;
    std::string message;  ///< its first error lines, on one line
    double elapsed_s = 0;
};

/// One scenario's result: the client, what tlsfault recorded, and the judgement.
struct ScenarioOutcome {
    CheckScenario scenario;
    ClientOutcome client;
    std::string verdict;  ///< "alert certificate_expired", "accepted (HTTP 200)", "none"
    std::string
        expectation;  ///< "pass", "fail", "not_judged" (the expectation is not about this client) or "none" (tlsfault judged no connection)
    int connections = 0;
    bool passed = false;
    /// tlsfault judged no connection of this client: the expectation is not about it (a client
    /// offering TLS 1.3 to a scenario about TLS 1.2 clients, no ALPN to alpn-refused). Neither
    /// pass nor fail: counted apart, and it does not fail the run.
    bool not_judged = false;
    /// For a fail: the client policy that explains it (the expectation event's `policy`:
    /// "revocation", "legacy_tls", ...; "retry" for a client that stops at the first failure).
    std::string policy;
    std::string reason;  ///< why it failed (or, when it passed, what was judged)
    std::string why;     ///< for a fail or not judged: the judgement's own reason, alone ("does not check revocation: ...")
};

}  // namespace tlsfault::cli::check
