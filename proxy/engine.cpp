// Engine set-up and the run loop: an io_context per thread (connection_contexts.hpp), the
// listeners, the API and the scenario watcher on the main one, a signal_set for clean shutdown.
#include "proxy/engine.hpp"

#include "proxy/api/api_context.hpp"
#include "proxy/api/api_session.hpp"

#include "proxy/listeners/explicit_proxy_listener.hpp"
#include "proxy/listeners/listener.hpp"
#include "proxy/listeners/sni_listener.hpp"
#include "proxy/relay/upstream_pool.hpp"
#include "proxy/core/connection_contexts.hpp"
#include "proxy/core/memory_release.hpp"
#include "proxy/core/net.hpp"
#include "proxy/revocation/revocation_session.hpp"
#include "proxy/scenario/scenario_runtime.hpp"
#include "proxy/scenario/scenario_watcher.hpp"
#include "proxy/tls/server_context.hpp"
#include "proxy/tls/upstream_context.hpp"

#include "certgen/pem_io.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <optional>
#include <thread>

namespace tlsfault::proxy {

struct Engine::Impl {
    Impl(const EngineConfig& c, certgen::LabPki& pki, certgen::LeafCache& leaves)
        : config(c),
          log(c.events_path, c.bundle_events_path),
          console(!c.console        ? nullptr
                  : log.to_stdout() ? stderr
                                    : stdout),
          revocation(pki),
          revocation_context{revocation, log, c.timeouts.header},
          state{config,
                leaves,
                log,
                console,
                make_server_context(c.keylog_path, c.bundle_keylog_path, c.api_listen ? &keylog_lines : nullptr),
                make_upstream_context(c.upstream_verify, c.upstream_ca_file),
                revocation} {
        ioc.emplace(1);  // run by one thread; other threads run contexts of their own
        contexts = std::make_unique<ConnectionContexts>(*ioc, std::max(1u, c.threads));
        state.connection_contexts = contexts.get();
        if (c.upstream_pool) {
            upstream_pool = std::make_unique<UpstreamPool>();
            state.upstream_pool = upstream_pool.get();
        }
        // Before any listener binds, so the API's event feed sees every `listen` event too.
        if (config.api_listen) log.attach_feed(&feed);
    }

    // After the revocation listener is bound: mirrored chains carry its URL. The runtime is
    // always there, even with no scenario given, so the control API can activate one.
    void start_scenarios(certgen::LabPki& pki) {
        scenarios = std::make_unique<ScenarioRuntime>(config.scenarios, pki.cas(), &pki);
        state.scenarios = scenarios.get();
        scenarios->link_fetches(&revocation.fetches());
        if (config.reload_interval && !config.scenario_files.empty())
            watcher = std::make_unique<ScenarioWatcher>(*ioc, *scenarios, config.scenario_files, *config.reload_interval, log, console);
        if (config.api_listen) make_api(pki);
    }

    void make_api(const certgen::LabPki& pki) {
        api = std::make_unique<ApiContext>(*scenarios, log, feed, config.api_token);
        api->ca_pem = certgen::to_pem(pki.cas().root().cert.get());
        api->ca_der = certgen::to_der(pki.cas().root().cert.get());
        api->ca_path = pki.cas().root().cert_path.string();
        api->lab_domain = config.lab_domain;
        api->leaves = &state.leaves;
        if (!config.keylog_path.empty() || !config.bundle_keylog_path.empty()) api->keylog = &keylog_lines;
        for (const auto& file : config.scenario_files) {
            auto scenario = config.scenarios[file.index];
            api->loaded[scenario->name] = KnownScenario{scenario, ScenarioOrigin::file};
        }
    }

    // Declaration order is destruction order in reverse: connections (inside ioc) end before
    // the contexts and the log they use.
    EngineConfig config;
    EventFeed feed;            ///< the API's view of the events; fed by `log` only when the API is on
    KeylogLines keylog_lines;  ///< recent key log lines for the API; filled only with the API and key logging on
    EventLog log;
    ConsoleView console;
    RevocationService revocation;
    RevocationContext revocation_context;
    EngineState state;
    std::unique_ptr<ScenarioRuntime> scenarios;  ///< outlives every connection
    std::unique_ptr<ApiContext> api;             ///< null with --api-listen off
    /// ioc and one more per extra thread; destroyed after ioc, whose queued accept operations
    /// hold sockets made on the other contexts.
    std::unique_ptr<ConnectionContexts> contexts;
    std::optional<net::io_context> ioc;
    std::unique_ptr<UpstreamPool> upstream_pool;  ///< after the contexts: its idle sockets close before they go
    std::unique_ptr<ScenarioWatcher> watcher;     ///< null without scenario files or with reloading off; its timer is on ioc
    std::vector<std::unique_ptr<Listener>> listeners;
    std::vector<BoundListener> bound;
};

Engine::Engine(const EngineConfig& config, certgen::LabPki& pki, certgen::LeafCache& leaves, bool keep_revocation_url)
    : impl_(std::make_unique<Impl>(config, pki, leaves)) {
    auto add = [&](ListenerKind kind, const std::optional<HostPort>& address, ConnectionHandler handler) {
        if (!address) return;
        impl_->listeners.push_back(std::make_unique<Listener>(*impl_->ioc, impl_->state, kind, *address, std::move(handler)));
        impl_->bound.push_back({kind, impl_->listeners.back()->bound()});
    };
    auto& revocation_context = impl_->revocation_context;
    add(ListenerKind::revocation, impl_->config.revocation_listen, [&revocation_context](EngineState&, tcp::socket socket) {
        return serve_revocation_connection(revocation_context, std::move(socket));
    });
    if (impl_->config.revocation_listen && !keep_revocation_url) {
        auto options = pki.minter().options();
        options.revocation_url = "http://" + impl_->bound.back().address.str();
        pki.set_mint_options(options);
    }
    impl_->start_scenarios(pki);
    add(ListenerKind::proxy, impl_->config.proxy_listen, handle_proxy_connection);
    add(ListenerKind::sni, impl_->config.sni_listen, handle_sni_connection);
    if (impl_->listeners.size() == (impl_->config.revocation_listen ? 1u : 0u))
        throw std::runtime_error("no listener: give --proxy-listen and/or --sni-listen");
    auto* api = impl_->api.get();
    add(ListenerKind::api, impl_->config.api_listen,
        [api](EngineState&, tcp::socket socket) { return serve_api_connection(*api, std::move(socket)); });
    if (api)
        for (const auto& listener : impl_->bound) api->listeners.emplace_back(to_string(listener.kind), listener.address.str());
}

Engine::~Engine() = default;

const std::vector<BoundListener>& Engine::listeners() const { return impl_->bound; }

bool Engine::events_on_stdout() const { return impl_->log.to_stdout(); }

void Engine::console_lines(std::span<const std::string> texts) { impl_->console.lines(texts); }

int Engine::run() {
    auto& ioc = *impl_->ioc;
    // Optional so it can be destroyed before the io_context it belongs to.
    std::optional<net::signal_set> signals_holder(std::in_place, ioc, SIGINT, SIGTERM);
    auto& signals = *signals_holder;
    std::signal(SIGPIPE, SIG_IGN);  // a peer that vanishes mid-write is an error_code, not a signal
    keep_heap_top_for_reuse();      // before the first connection: see memory_release.hpp
    signals.async_wait([&](const error_code& ec, int signal_number) {
        if (ec) return;
        impl_->log.write(JsonLine(0, "shutdown").add("signal", signal_number == SIGINT ? "SIGINT" : "SIGTERM"));
        for (auto& listener : impl_->listeners) listener->stop();
        // Connections in flight are closed by stopping the loops: their frames are destroyed with
        // the io_contexts below, which records each one's verdict (if still open) and close event.
        ioc.stop();  // then run() below stops the other contexts
    });
    for (auto& listener : impl_->listeners) listener->start();
    if (impl_->watcher) impl_->watcher->start();
    if (impl_->api) net::co_spawn(ioc, fold_events_periodically(*impl_->api), net::detached);
    impl_->contexts->start();
    ioc.run();
    impl_->contexts->stop_and_join();
    impl_->listeners.clear();
    impl_->watcher.reset();
    impl_->state.upstream_pool = nullptr;
    impl_->upstream_pool.reset();
    signals_holder.reset();
    // The main context first: an accept cancelled at shutdown waits in its queue with the socket
    // it made on another thread's context, which must still exist when that socket goes.
    impl_->ioc.reset();
    impl_->contexts->destroy();
    impl_->log.write(JsonLine(0, "stopped"));
    impl_->log.flush();
    return 0;
}

}  // namespace tlsfault::proxy
