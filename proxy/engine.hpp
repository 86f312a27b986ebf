// The interception engine as the CLI sees it: bind the listeners, run until SIGINT/SIGTERM.
// Asio stays behind this header so the CLI compiles without it.
#pragma once

#include "proxy/core/engine_config.hpp"

#include "certgen/lab_pki.hpp"
#include "certgen/leaf_cache.hpp"

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace tlsfault::proxy {

struct BoundListener {
    ListenerKind kind = ListenerKind::proxy;
    HostPort address;  ///< as bound (the real port when 0 was asked)
};

class Engine {
public:
    /// Opens the event log and binds every configured listener (emitting `listen` events).
    /// Throws std::runtime_error with an actionable message when that fails (start-up only).
    /// The revocation listener is bound first, so that certificates minted later can carry its
    /// real address (`pki`'s revocation URL is set to it unless `keep_revocation_url`).
    Engine(const EngineConfig& config, certgen::LabPki& pki, certgen::LeafCache& leaves, bool keep_revocation_url = false);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    const std::vector<BoundListener>& listeners() const;
    /// True when the event log writes to stdout (then the console view uses stderr).
    bool events_on_stdout() const;
    /// Prints lines on the console view in one write (the banner).
    void console_lines(std::span<const std::string> texts);

    /// Serves on config.threads threads until SIGINT or SIGTERM; then stops accepting, closes
    /// connections in flight, flushes the log and returns 0.
    int run();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tlsfault::proxy
