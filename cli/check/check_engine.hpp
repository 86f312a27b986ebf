// The engine `tlsfault check` talks to: the one it starts (OwnEngine), or a running one named
// by --api/--api-token. Either way: an API client, and the placeholder values (listener ports
// and the lab CA) read from the engine itself.
#pragma once

#include "cli/check/api_client.hpp"
#include "cli/check/check_types.hpp"
#include "cli/check/own_engine.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace tlsfault::cli::check {

class CheckEngine {
public:
    /// With `api_url`: a running engine (its listen events give the ports; its CA is fetched
    /// into a temporary file). Without: starts one with `state_dir` (empty: the default).
    /// Throws CheckError when the engine cannot be started, reached or used.
    CheckEngine(const std::optional<std::string>& api_url, const std::string& api_token, const std::filesystem::path& state_dir);
    ~CheckEngine();
    CheckEngine(const CheckEngine&) = delete;
    CheckEngine& operator=(const CheckEngine&) = delete;

    const ApiClient& api() const { return *api_; }
    const Placeholders& placeholders() const { return placeholders_; }
    /// For the reports: "its own engine (tlsfault run, pid N)" or "the engine at URL".
    const std::string& description() const { return description_; }

private:
    void read_ports_from_events();
    void fetch_ca();
    std::unique_ptr<OwnEngine> own_;
    std::unique_ptr<ApiClient> api_;
    Placeholders placeholders_;
    std::string description_;
    std::filesystem::path fetched_ca_;
};

}  // namespace tlsfault::cli::check
