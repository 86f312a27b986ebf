// The engine `tlsfault check` starts for itself: a `tlsfault run` child with every listener on
// a free loopback port (port 0), the API token generated here, forwarding off (origin mode, so
// no traffic leaves the machine). The bound ports are read from its `listen` events.
#pragma once

#include "common/child_process.hpp"

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

namespace tlsfault::cli::check {

/// Where the engine under test listens, and how to reach its API.
struct EngineEndpoints {
    std::string api_url;  ///< http://127.0.0.1:PORT
    std::string api_token;
    int proxy_port = 0;
    int sni_port = 0;
};

class OwnEngine {
public:
    /// Starts `tlsfault run` (this very binary) with `state_dir` (empty: the default lab CA) and
    /// waits up to `startup` for its listeners; throws std::runtime_error with its console
    /// output when it does not come up.
    OwnEngine(const std::filesystem::path& state_dir, std::chrono::milliseconds startup = std::chrono::seconds(20));
    ~OwnEngine();
    OwnEngine(const OwnEngine&) = delete;
    OwnEngine& operator=(const OwnEngine&) = delete;

    const EngineEndpoints& endpoints() const { return endpoints_; }
    /// The JSON event log the engine writes (kept until the destructor).
    std::filesystem::path events_file() const { return dir_ / "events.jsonl"; }

private:
    void wait_for_listeners(std::chrono::milliseconds startup);
    std::filesystem::path dir_;
    std::unique_ptr<common::BackgroundChild> child_;
    EngineEndpoints endpoints_;
};

/// The path of the running executable (/proc/self/exe), to start `tlsfault run` from.
std::string own_executable();

/// 32 random hex characters (OpenSSL's RAND_bytes): the API token of an engine we start.
std::string random_token();

/// The listen ports named in JSON event lines (`"event":"listen"`, `"listener":...`).
void read_listen_ports(const std::string& json_lines, int& proxy_port, int& sni_port, int& api_port);

}  // namespace tlsfault::cli::check
