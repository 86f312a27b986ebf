// Engine set-up and the run loop: one io_context served by N threads, a strand per connection,
// a signal_set for clean shutdown.
#include "proxy/engine.hpp"

#include "proxy/listeners/explicit_proxy_listener.hpp"
#include "proxy/listeners/listener.hpp"
#include "proxy/listeners/sni_listener.hpp"
#include "proxy/net.hpp"
#include "proxy/tls/server_context.hpp"
#include "proxy/tls/upstream_context.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <optional>
#include <thread>

namespace tlsfault::proxy {

struct Engine::Impl {
    Impl(const EngineConfig& c, certgen::LeafCache& leaves)
        : config(c),
          log(c.events_path),
          console(!c.console ? nullptr : log.to_stdout() ? stderr : stdout),
          state{config, leaves, log, console, make_server_context(c.keylog_path),
                make_upstream_context(c.upstream_verify, c.upstream_ca_file)} {
        ioc.emplace(static_cast<int>(std::max(1u, c.threads)));
    }

    // Declaration order is destruction order in reverse: connections (inside ioc) end before
    // the contexts and the log they use.
    EngineConfig config;
    EventLog log;
    ConsoleView console;
    EngineState state;
    std::optional<net::io_context> ioc;
    std::vector<std::unique_ptr<Listener>> listeners;
    std::vector<BoundListener> bound;
};

Engine::Engine(const EngineConfig& config, certgen::LeafCache& leaves) : impl_(std::make_unique<Impl>(config, leaves)) {
    auto add = [&](const char* kind, const std::optional<HostPort>& address, ConnectionHandler handler) {
        if (!address) return;
        impl_->listeners.push_back(std::make_unique<Listener>(*impl_->ioc, impl_->state, kind, *address, std::move(handler)));
        impl_->bound.push_back({kind, impl_->listeners.back()->bound()});
    };
    add("proxy", impl_->config.proxy_listen, handle_proxy_connection);
    add("sni", impl_->config.sni_listen, handle_sni_connection);
    if (impl_->listeners.empty()) throw std::runtime_error("no listener: give --proxy-listen and/or --sni-listen");
}

Engine::~Engine() = default;

const std::vector<BoundListener>& Engine::listeners() const { return impl_->bound; }

bool Engine::events_on_stdout() const { return impl_->log.to_stdout(); }

void Engine::console_line(const std::string& text) { impl_->console.line(text); }

int Engine::run() {
    auto& ioc = *impl_->ioc;
    net::signal_set signals(ioc, SIGINT, SIGTERM);
    std::signal(SIGPIPE, SIG_IGN);  // a peer that vanishes mid-write is an error_code, not a signal
    signals.async_wait([&](const error_code& ec, int signal_number) {
        if (ec) return;
        impl_->log.write(JsonLine(0, "shutdown").add("signal", signal_number == SIGINT ? "SIGINT" : "SIGTERM"));
        for (auto& listener : impl_->listeners) listener->stop();
        // Connections in flight are closed by stopping the loop: their frames are destroyed with
        // the io_context below, which records each one's verdict (if still open) and close event.
        ioc.stop();
    });
    for (auto& listener : impl_->listeners) listener->start();
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < std::max(1u, impl_->config.threads); ++i) threads.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
    impl_->listeners.clear();
    impl_->ioc.reset();
    impl_->log.write(JsonLine(0, "stopped"));
    impl_->log.flush();
    return 0;
}

}  // namespace tlsfault::proxy
