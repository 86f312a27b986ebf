// Running one scenario: activate it alone through the API, run the client command once with
// the placeholders expanded and the proxy variables set, wait for tlsfault's verdict, judge.
#pragma once

#include "cli/check/api_client.hpp"
#include "cli/check/check_types.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace tlsfault::cli::check {

/// Thrown when the engine refuses or cannot do what check needs (unknown scenario on a running
/// engine, API gone): check stops with exit 2.
class CheckError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class CheckRunner {
public:
    CheckRunner(const ApiClient& api, Placeholders placeholders, std::vector<std::string> command, std::chrono::milliseconds timeout);

    ScenarioOutcome run(const CheckScenario& scenario) const;

private:
    void activate_alone(const std::string& name) const;
    long last_connection_id() const;
    ClientOutcome run_client(const CheckScenario& scenario) const;
    const ApiClient& api_;
    Placeholders placeholders_;
    std::vector<std::string> command_;
    std::chrono::milliseconds timeout_;
};

/// `arg` with every {name} placeholder replaced; an unknown {name} is left as written.
std::string expand(const std::string& arg, const CheckScenario& scenario, const Placeholders& values);

/// The placeholder names check knows, for --help and for rejecting a misspelt one.
const std::vector<std::string>& placeholder_names();

}  // namespace tlsfault::cli::check
