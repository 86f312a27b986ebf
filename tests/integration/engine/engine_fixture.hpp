// Running `tlsfault run` for a test: port 0 everywhere, the real ports read from the `listen`
// events, and helpers that wait (with a deadline) for the verdicts tlsfault records.
#pragma once

#include "tests/support/process.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tlsfault::test {

/// The whole content of a file ("" when it cannot be read).
std::string read_text(const std::string& path);

/// The string value of `"key":"..."` (or the raw number) in one JSON event line; "" when absent.
std::string json_field(const std::string& line, const std::string& key);

class RunningEngine {
public:
    /// Starts tlsfault with every listener (proxy, sni, revocation, api) on 127.0.0.1:0 (unless
    /// `extra_args` sets them) and a
    /// fresh state directory; fails the test if the listeners do not appear within 20 s.
    /// `binary` replaces the binary under test (an installed copy: the package test).
    /// `launcher`, when given, runs first with the tlsfault command line as its arguments (e.g.
    /// `bash -c 'ulimit -n 64; exec "$0" "$@"'`); it must exec tlsfault so the PID stays its own.
    explicit RunningEngine(std::vector<std::string> extra_args = {}, const std::string& binary = {},
                           std::vector<std::string> launcher = {});
    /// Without an event log: what an engine does when no sink reads its events (`--api-listen
    /// off`, no `--events`: lines are muted, and what only they show is not computed). Only the
    /// SNI listener is started; its port is read from the console banner. events() is empty.
    struct NoEventLog {};
    RunningEngine(NoEventLog, std::vector<std::string> extra_args);

    int sni_port() const { return sni_port_; }
    int proxy_port() const { return proxy_port_; }
    int revocation_port() const { return revocation_port_; }
    /// The control API's port (0 when `--api-listen off` was given).
    int api_port() const { return api_port_; }
    /// The generated API token (read from the state directory).
    std::string api_token() const;
    std::string root_pem() const { return dir_ / "state/ca/root.pem"; }
    const TempDir& dir() const { return dir_; }
    BackgroundProcess& process() { return *process_; }

    /// Every event line so far.
    std::vector<std::string> events() const;
    /// Waits up to `deadline` for `count` verdict events in total; returns all verdict lines.
    std::vector<std::string> wait_for_verdicts(std::size_t count, std::chrono::milliseconds deadline = std::chrono::seconds(15)) const;
    /// Waits for the verdict line whose host is `host` (the newest if several).
    std::string verdict_for(const std::string& host, std::chrono::milliseconds deadline = std::chrono::seconds(15)) const;
    /// Waits until some event line satisfies `event == name` and contains `needle`.
    std::string wait_for_event(const std::string& name, const std::string& needle = {},
                               std::chrono::milliseconds deadline = std::chrono::seconds(15)) const;
    /// The console/stderr output so far.
    std::string console() const;

private:
    TempDir dir_;
    std::unique_ptr<BackgroundProcess> process_;
    int sni_port_ = 0;
    int proxy_port_ = 0;
    int revocation_port_ = 0;
    int api_port_ = 0;
};

/// The Python upstream (tests/integration/engine/upstream_server.py; HTTPS unless `plain`), with
/// its own self-signed certificate for 127.0.0.1, on a port it picks.
class UpstreamServer {
public:
    explicit UpstreamServer(bool plain = false);
    int port() const { return port_; }
    std::string cert() const { return dir_ / "cert.pem"; }
    std::string url(const std::string& path, bool tls = true) const {
        return std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + path;
    }

private:
    TempDir dir_;
    std::unique_ptr<BackgroundProcess> process_;
    int port_ = 0;
};

/// Waits (15 s at most) for a helper server started as `process`, logging to `log_path`, to print
/// "PORT <n>"; returns n, or 0 when it did not (it exited, or the deadline passed).
int wait_for_port_line(BackgroundProcess& process, const std::string& log_path);

/// How many of the engine's events so far are `name` events.
std::size_t count_events(const RunningEngine& e, const std::string& name);

/// curl's --connect-to value that sends https://`host`/ to the engine's SNI listener.
std::string connect_to(const RunningEngine& e, const std::string& host);

/// Writes scenario `name` into `dir` (a placeholder description) with `rules`, the YAML text
/// under `rules:`; returns the file's path.
std::string write_scenario(const TempDir& dir, const std::string& name, const std::string& rules);

/// The leaf and issuer certificates the engine shows for `host` (openssl s_client -showcerts on
/// the SNI listener), written as PEM files in the engine's directory.
struct ServedChain {
    std::string leaf, issuer;
};
ServedChain fetch_served_chain(const RunningEngine& engine, const std::string& host);

/// The first URI in a certificate's `extension` ("crlDistributionPoints", "authorityInfoAccess").
std::string certificate_url(const std::string& pem_file, const char* extension);

/// curl with a 20 s overall limit and the given arguments.
ProcessResult curl(std::vector<std::string> args);

/// A TCP socket listening on 127.0.0.1 with `backlog`, on a port the kernel picks (written to
/// `port`), that nobody accepts from; -1 on failure.
int listen_loopback(int backlog, int& port);
/// Opens a TCP connection to 127.0.0.1:`port`; -1 on failure.
int connect_loopback(int port, const std::string& host = "127.0.0.1");
/// Writes all of `data`; false on error.
bool send_all(int fd, const std::string& data);
/// Reads until EOF, error or `deadline`; returns what arrived.
std::string read_until_close(int fd, std::chrono::milliseconds deadline);

}  // namespace tlsfault::test
