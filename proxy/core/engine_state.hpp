// What every connection shares: settings, the leaf cache, the TLS contexts and the reporters.
// Built once at start-up, then read-only except for the thread-safe cache and log.
#pragma once

#include "proxy/core/engine_config.hpp"
#include "proxy/events/console_view.hpp"
#include "proxy/events/event_log.hpp"
#include "proxy/core/own_listeners.hpp"

#include "certgen/leaf_cache.hpp"

#include <boost/asio/ssl/context.hpp>

namespace tlsfault::proxy {
class RevocationService;
class ScenarioRuntime;
class UpstreamPool;
class ConnectionContexts;
}  // namespace tlsfault::proxy

namespace tlsfault::proxy {

struct EngineState {
    const EngineConfig& config;
    certgen::LeafCache& leaves;
    EventLog& log;
    ConsoleView& console;
    boost::asio::ssl::context server_tls;
    boost::asio::ssl::context upstream_tls;
    /// Links certificates shown to later CRL/OCSP fetches, and makes OCSP staples.
    RevocationService& revocation;
    /// The scenarios given to `tlsfault run`; nullptr when none (then the default routing alone).
    ScenarioRuntime* scenarios = nullptr;
    /// Idle upstream TLS connections and sessions (proxy/relay/upstream_pool.hpp); nullptr: none
    /// (`--upstream-pool off`).
    UpstreamPool* upstream_pool = nullptr;
    /// The io_contexts traffic connections are spread over (proxy/core/connection_contexts.hpp).
    ConnectionContexts* connection_contexts = nullptr;
    /// Where tlsfault's own listeners are bound: never a CONNECT or upstream target.
    OwnListeners own_listeners{};

    /// True when a non-lab host reached through `listener` (the explicit proxy or the SNI listener) is forwarded.
    bool forwards(ListenerKind listener) const {
        switch (config.upstream_mode) {
        case UpstreamMode::origin: return false;
        case UpstreamMode::forward: return true;
        case UpstreamMode::automatic: return listener == ListenerKind::proxy;
        }
        return false;
    }
};

}  // namespace tlsfault::proxy
