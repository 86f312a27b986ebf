// An upstream TLS connection begun as soon as the ClientHello names the host, while the client
// is still in its own handshake (`--upstream-connect early`, the default): a host whose upstream
// has no idle pooled connection then waits for little or none of the upstream's TCP and TLS
// handshakes at its first request, instead of for all of them after it. The client connection
// that began it uses it for its first request; one that never asks (a client that refused the
// lab certificate, a request a rule answered) leaves it in the pool for the next client when it
// ends (or once the connection is up, if later), so refusing clients cost the upstream one idle
// connection, not one each.
#pragma once

#include "proxy/core/net.hpp"
#include "proxy/relay/upstream_connect.hpp"

#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <optional>
#include <string>

namespace tlsfault::proxy {

class EarlyUpstream {
public:
    /// Begins connecting to `target` for `name` on `executor` (the client connection's, whose
    /// pool key is `key`).
    static std::shared_ptr<EarlyUpstream> begin(EngineState& state, HostPort target, std::string name, std::string key,
                                                const net::any_io_executor& executor);
    /// Left untaken: a connection that came up goes to the pool (its `key`).
    ~EarlyUpstream();
    EarlyUpstream(const EarlyUpstream&) = delete;
    EarlyUpstream& operator=(const EarlyUpstream&) = delete;

    /// Waits until the attempt has ended, then hands it over (once: the caller emits its event).
    net::awaitable<TlsUpstreamAttempt> take();

private:
    EarlyUpstream(EngineState& state, std::string key, const net::any_io_executor& executor);
    static net::awaitable<void> attempt(std::shared_ptr<EarlyUpstream> self, HostPort target, std::string name);

    EngineState& state_;
    std::string key_;
    net::steady_timer ended_;  ///< never expires; cancelled when the attempt ends, waking take()
    std::optional<TlsUpstreamAttempt> result_;
    bool taken_ = false;
};

}  // namespace tlsfault::proxy
