// Binding and accepting. Accept errors such as EMFILE must not end the loop (that would stop
// the listener for good): the loop backs off (50 ms doubling to 1 s) and tries again, saying
// once that it paused (`accept_paused` and one console line) and once that it recovered.
#include "proxy/listeners/listener.hpp"

#include "proxy/core/connection_contexts.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace tlsfault::proxy {

std::string endpoint_text(const tcp::endpoint& endpoint) { return HostPort{endpoint.address().to_string(), endpoint.port()}.str(); }

Listener::Listener(net::io_context& ioc, EngineState& state, ListenerKind kind, const HostPort& address, ConnectionHandler handler)
    : ioc_(ioc),
      state_(state),
      kind_(kind),
      acceptor_(net::make_strand(ioc)),  // its own strand: stop() and the accept loop never race
      handler_(std::move(handler)) {
    error_code ec;
    auto ip = net::ip::make_address(address.host, ec);
    if (ec)
        throw std::runtime_error("--" + std::string(to_string(kind_)) + "-listen " + address.str() + ": not an IP address (" +
                                 ec.message() + ")");
    tcp::endpoint endpoint(ip, address.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec && ip.is_v6()) acceptor_.set_option(net::ip::v6_only(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
        throw std::runtime_error("--" + std::string(to_string(kind_)) + "-listen " + address.str() + ": cannot listen: " + ec.message());
    auto local = acceptor_.local_endpoint(ec);
    bound_ = HostPort{local.address().to_string(), local.port()};
    state_.own_listeners.add(kind_, bound_);
    state_.log.write(JsonLine(0, "listen")
                         .add("listener", to_string(kind_))
                         .add("address", bound_.host)
                         .add("port", static_cast<unsigned>(bound_.port)));
}

bool Listener::spreads() const { return state_.connection_contexts && (kind_ == ListenerKind::proxy || kind_ == ListenerKind::sni); }

void Listener::start() { net::co_spawn(acceptor_.get_executor(), accept_loop(), net::detached); }

void Listener::stop() {
    // Posted so that the close runs on the executor the accept loop uses.
    net::post(acceptor_.get_executor(), [this] {
        error_code ignored;
        acceptor_.close(ignored);
    });
}

namespace {

/// The pause before the `failures`-th retry in a row: 50 ms, doubling, at most 1 s.
std::chrono::milliseconds accept_backoff(int failures) {
    return std::min(std::chrono::milliseconds(50) * (1 << std::min(failures - 1, 5)), std::chrono::milliseconds(1000));
}

}  // namespace

void Listener::note_accept_failure(const error_code& ec) {
    if (accept_failures_++ > 0) return;  // one report per episode, not one per retry
    state_.console.line("tlsfault: the " + std::string(to_string(kind_)) + " listener cannot accept (" + ec.message() +
                        "); retrying with back-off until it can");
    state_.log.write(JsonLine(0, "accept_paused").add("listener", to_string(kind_)).add("error", ec.message()));
}

void Listener::note_accept_recovered() {
    if (accept_failures_ == 0) return;
    state_.console.line("tlsfault: the " + std::string(to_string(kind_)) + " listener accepts again (after " +
                        std::to_string(accept_failures_) + " failed tries)");
    state_.log.write(JsonLine(0, "accept_resumed").add("listener", to_string(kind_)).add("failed_accepts", accept_failures_));
    accept_failures_ = 0;
}

net::awaitable<void> Listener::accept_loop() {
    for (;;) {
        // Traffic goes to the engine's contexts in turn (each run by one thread: no strand); the
        // API and revocation listeners serve on the main context, beside the API's own timers.
        net::any_io_executor executor = spreads() ? state_.connection_contexts->next() : net::any_io_executor(ioc_.get_executor());
        auto [ec, socket] = co_await acceptor_.async_accept(executor, nothrow);
        if (ec == net::error::operation_aborted || !acceptor_.is_open()) co_return;
        if (ec == net::error::connection_aborted) continue;  // that client left before accept: nothing to pause for
        if (ec) {                                            // EMFILE/ENFILE above all: connections held elsewhere must close first
            note_accept_failure(ec);
            net::steady_timer pause(acceptor_.get_executor(), accept_backoff(accept_failures_));
            co_await pause.async_wait(nothrow);
            continue;
        }
        note_accept_recovered();
        net::co_spawn(socket.get_executor(), handler_(state_, std::move(socket)), [kind = kind_](std::exception_ptr e) {
            // Traffic code does not throw; anything that escapes is a bug, costing one connection.
            if (!e) return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                std::fprintf(stderr, "tlsfault: internal error on a %s connection: %s\n", to_string(kind).data(), x.what());
            }
        });
    }
}

}  // namespace tlsfault::proxy
