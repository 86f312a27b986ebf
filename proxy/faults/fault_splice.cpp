// The splice's life: pick out the whole-connection faults (blackhole, reset), build one fault
// chain per direction, run the session and both pumps side by side, and make each way of ending
// (client FIN or RST, session done, reset timer, a fault's own close) end the rest cleanly.
#include "proxy/faults/fault_splice.hpp"

#include "proxy/events/json_line.hpp"
#include "proxy/faults/blackhole.hpp"
#include "proxy/faults/direction_pump.hpp"
#include "proxy/faults/fault_kinds.hpp"
#include "proxy/faults/reset.hpp"

#include "scenarios/model/faults/fault_describe.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <optional>

namespace tlsfault::proxy::faults {
namespace {

/// The chain link for a byte-stream fault; nullptr for the whole-connection kinds.
std::unique_ptr<TcpFault> make_chain_fault(const scenarios::FaultSettings& settings, FaultContext& context) {
    const auto& kind = runtime_fault_of(settings);
    return kind.make_link ? kind.make_link(settings, context) : nullptr;
}

/// One direction's chain, in rule order, and the text of each link for the `fault` events.
struct ChainParts {
    std::vector<std::unique_ptr<FaultContext>> contexts;
    std::vector<std::unique_ptr<TcpFault>> faults;
};

ChainParts build_chain(const TcpFaultSet& set, scenarios::FaultStream stream, net::any_io_executor executor,
                       std::vector<std::pair<const scenarios::FaultSpec*, std::string>>& described) {
    ChainParts parts;
    for (const auto* spec : set.specs) {
        if (spec->stream != stream) continue;
        auto context = std::make_unique<FaultContext>(executor, set.seed, set.key + "#" + spec->name);
        if (auto fault = make_chain_fault(spec->settings, *context)) {
            described.emplace_back(spec, scenarios::describe(spec->settings));
            parts.faults.push_back(std::move(fault));
            parts.contexts.push_back(std::move(context));
        }
    }
    return parts;
}

template <class S>
const S* first_of(const TcpFaultSet& set, const scenarios::FaultSpec** spec = nullptr) {
    for (const auto* s : set.specs)
        if (const auto* settings = std::get_if<S>(&s->settings)) {
            if (spec) *spec = s;
            return settings;
        }
    return nullptr;
}

void emit_fault(Connection& conn, const scenarios::FaultSpec& spec, const std::string& description) {
    conn.emit(conn.event("fault")
                  .add("type", spec.type)
                  .add("name", spec.name)
                  .add("stream", std::string(scenarios::to_string(spec.stream)))
                  .add("detail", description));
}

/// A fault ended the connection on purpose. The verdict says how the client saw it end (a FIN or
/// a reset); when the connection already has one (an accepted request, then a reset
/// mid-response), the `fault_fired` event still places the moment on its timeline.
void record_fault_close(Connection& conn, Phase phase, Outcome how, const std::string& why) {
    conn.emit(
        conn.event("fault_fired").add("outcome", std::string(to_string(how))).add("reason", why).add("elapsed_ms", conn.elapsed_ms()));
    conn.verdict({how, phase, {}, {}, why});
}

/// Both pumps, the watchdog (reset timer, drain bound), and what each ending does to the rest.
class Splice {
public:
    Splice(Connection& conn, tcp::socket client, tcp::socket pump_end, ChainParts down, ChainParts up,
           std::optional<Clock::time_point> reset_at, Phase phase)
        : conn_(conn),
          client_(std::move(client)),
          pump_end_(std::move(pump_end)),
          down_(pump_end_, client_, std::move(down.contexts), std::move(down.faults)),
          up_(client_, pump_end_, std::move(up.contexts), std::move(up.faults)),
          watchdog_(client_.get_executor()),
          reset_at_(reset_at),
          phase_(phase) {}

    net::awaitable<void> run() {
        using namespace net::experimental::awaitable_operators;
        co_await (pumps() && watch());
    }

    /// The session returned: whatever is still queued towards the client gets `drain`, no more.
    void session_ended(std::chrono::milliseconds drain) {
        drain_at_ = Clock::now() + drain;
        watchdog_.cancel();
    }

    /// How a fault ended the connection itself, if one did.
    std::optional<Outcome> fired_by_fault() const { return fired_; }

private:
    net::awaitable<void> pumps() {
        using namespace net::experimental::awaitable_operators;
        co_await (downstream() && upstream());
        finished_ = true;
        watchdog_.cancel();
    }

    /// Session -> client. It ends when the session closed its end (passed on here: a FIN, or a
    /// reset when the session reset on purpose), a write to the client failed, or a fault closed
    /// the connection: the client goes either way.
    net::awaitable<void> downstream() {
        co_await down_.run();
        if (auto why = down_.ended_by(); !why.empty()) fired(Outcome::closed, why);
        error_code ignored;
        if (conn_.reset_by_session())
            close_with_reset(client_);  // e.g. http.abort_after
        else if (down_.source_closed())
            client_.shutdown(tcp::socket::shutdown_send, ignored);  // the session's FIN
        end_all();
    }

    /// Client -> session. A FIN is passed on and the session decides what comes next; anything
    /// else (a reset, a failed write, a fault's close) ends the connection.
    net::awaitable<void> upstream() {
        co_await up_.run();
        if (up_.source_closed() && up_.ended_by().empty()) {
            error_code ignored;
            pump_end_.shutdown(tcp::socket::shutdown_send, ignored);  // the client's FIN, passed on
            co_return;
        }
        if (auto why = up_.ended_by(); !why.empty()) fired(Outcome::closed, why);
        // The session only sees its local socket close, which reads as a FIN: say it was a reset.
        else if (up_.source_error() == net::error::connection_reset)
            conn_.verdict({Outcome::reset, phase_, {}, {}, "the client reset the connection"});
        end_all();
    }

    net::awaitable<void> watch() {
        while (!finished_) {
            auto due = std::min(reset_at_.value_or(Clock::time_point::max()), drain_at_);
            watchdog_.expires_at(due);
            co_await watchdog_.async_wait(nothrow);
            if (finished_ || Clock::now() < due) continue;  // woken early: re-arm with the new deadline
            if (reset_at_ && *reset_at_ <= Clock::now()) {
                fired(Outcome::reset, "reset by the rule's tcp fault");
                close_with_reset(client_);
            }
            end_all();
            co_return;
        }
    }

    void fired(Outcome how, const std::string& why) {
        if (!fired_) fired_ = how;
        record_fault_close(conn_, phase_, how, why);
    }

    void end_all() {
        down_.stop();
        up_.stop();
        error_code ignored;
        client_.close(ignored);
        pump_end_.close(ignored);
    }

    Connection& conn_;
    tcp::socket client_;
    tcp::socket pump_end_;
    DirectionPump down_, up_;
    net::steady_timer watchdog_;
    std::optional<Clock::time_point> reset_at_;
    Clock::time_point drain_at_ = Clock::time_point::max();
    Phase phase_;
    bool finished_ = false;
    std::optional<Outcome> fired_;
};

/// A connected pair of stream sockets for the session and the pumps. AF_UNIX: no port, no
/// TCP/IP stack; reads, writes and shutdowns behave as on TCP, which is all the session uses.
bool make_socket_pair(net::any_io_executor executor, tcp::socket& a, tcp::socket& b, std::string& error) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        error = std::string("socketpair: ") + std::strerror(errno);
        return false;
    }
    error_code ec;
    a = tcp::socket(executor);
    b = tcp::socket(executor);
    a.assign(tcp::v4(), fds[0], ec);
    if (!ec) b.assign(tcp::v4(), fds[1], ec);
    if (ec) {
        if (!a.is_open()) ::close(fds[0]);
        if (!b.is_open()) ::close(fds[1]);
        error = "socketpair: " + ec.message();
        return false;
    }
    return true;
}

}  // namespace

net::awaitable<std::optional<Outcome>> run_with_tcp_faults(Connection& conn, const TcpFaultSet& faults, beast::tcp_stream client,
                                                           Phase phase, std::chrono::milliseconds drain, SessionBody session) {
    using namespace net::experimental::awaitable_operators;
    auto executor = client.get_executor();
    tcp::socket socket = client.release_socket();

    const scenarios::FaultSpec* spec = nullptr;
    if (const auto* blackhole = first_of<scenarios::BlackholeSettings>(faults, &spec)) {
        emit_fault(conn, *spec, scenarios::describe(spec->settings));
        conn.verdict(co_await hold_in_blackhole(socket, *blackhole, drain, phase));
        co_return std::nullopt;
    }
    std::optional<Clock::time_point> reset_at;
    if (const auto* reset = first_of<scenarios::ResetSettings>(faults, &spec)) {
        emit_fault(conn, *spec, scenarios::describe(spec->settings));
        // The timeout counts from the accept, which was elapsed_ms() ago.
        auto since_accept = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::milli>(conn.elapsed_ms()));
        reset_at = Clock::now() - since_accept + reset->timeout;
        if (*reset_at <= Clock::now()) {
            record_fault_close(conn, phase, Outcome::reset, "reset by the rule's tcp fault as soon as the rule was chosen");
            close_with_reset(socket);
            co_return Outcome::reset;
        }
    }

    std::vector<std::pair<const scenarios::FaultSpec*, std::string>> described;
    auto down = build_chain(faults, scenarios::FaultStream::downstream, executor, described);
    auto up = build_chain(faults, scenarios::FaultStream::upstream, executor, described);
    for (const auto& [s, text] : described) emit_fault(conn, *s, text);

    tcp::socket session_end(executor), pump_end(executor);
    if (std::string error; !make_socket_pair(executor, session_end, pump_end, error)) {
        conn.verdict({Outcome::aborted, phase, {}, {}, "cannot apply tcp faults: " + error});
        co_return std::nullopt;
    }
    Splice splice(conn, std::move(socket), std::move(pump_end), std::move(down), std::move(up), reset_at, phase);
    auto run_session = [&]() -> net::awaitable<void> {
        {
            beast::tcp_stream session_stream(std::move(session_end));
            co_await session(session_stream);
        }  // its end closes when the session returns
        splice.session_ended(drain);
    };
    co_await (run_session() && splice.run());
    co_return splice.fired_by_fault();
}

}  // namespace tlsfault::proxy::faults
