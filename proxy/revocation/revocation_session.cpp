#include "proxy/revocation/revocation_session.hpp"

#include "proxy/events/json_line.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http.hpp>

#include <optional>
#include <variant>

namespace tlsfault::proxy {
namespace {

namespace http = beast::http;
using Clock = std::chrono::steady_clock;

bool is_ca_certificate(RevocationResource r) { return r == RevocationResource::ca_der || r == RevocationResource::ca_pem; }

constexpr std::size_t max_request_body = 64 * 1024;  // an OCSP request is a few hundred bytes

std::string client_ip(const tcp::socket& socket) {
    error_code ec;
    auto endpoint = socket.remote_endpoint(ec);
    return ec ? std::string("?") : endpoint.address().to_string();
}

double ms_since(Clock::time_point start) { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); }

const char* usage_text =
    "tlsfault revocation listener. Paths:\n"
    "  /crl/<ca>.crl  /crl/<ca>.crl.pem  /ca/<ca>.der  /ca/<ca>.pem  /ocsp/<ca> (POST, or GET with the base64 request)\n"
    "  <ca>: root, intermediate, rogue-root, or a mirrored CA (mirror-...). A mode prefix changes the answer,\n"
    "  e.g. /blackhole/crl/intermediate.crl:\n"
    "  stale wrong-key not-found server-error slow-<N>s blackhole good revoked unknown try-later unauthorized\n"
    "  malformed-request internal-error delegated\n";

// Holds a blackholed connection open, reading and discarding, until the client gives up or
// the hold time ends. Returns who ended it.
net::awaitable<std::string> hold_open(beast::tcp_stream& stream, std::chrono::milliseconds hold) {
    stream.expires_after(hold);
    char sink[512];
    for (;;) {
        auto [ec, n] = co_await stream.async_read_some(net::buffer(sink), nothrow);
        if (ec == beast::error::timeout) co_return "held until tlsfault's limit";
        if (ec) co_return "client gave up";
    }
}

// Waits out a slow-<N>s delay, but not for a client that has left: every quarter second the
// socket is read without blocking. No second operation is pending beside the timer, so nothing
// has to be cancelled (Asio 1.81's `timer || socket.async_wait` raced its cancellation under
// UBSan, chriskohlhoff/asio#1286). Bytes the client sends meanwhile (a pipelined request) are
// kept in `buffer`. True when the delay is over, false when the client closed (or sent more than
// a request holds) or the engine is stopping.
net::awaitable<bool> wait_unless_client_leaves(beast::tcp_stream& stream, beast::flat_buffer& buffer, std::chrono::milliseconds delay) {
    constexpr std::chrono::steady_clock::duration tick = std::chrono::milliseconds(250);
    const auto end = std::chrono::steady_clock::now() + delay;
    net::steady_timer timer(stream.get_executor());
    auto& socket = stream.socket();
    for (;;) {
        const auto left = end - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero()) co_return true;
        timer.expires_after(std::min(tick, left));
        if (auto [ec] = co_await timer.async_wait(nothrow); ec) co_return false;
        error_code ec;
        socket.non_blocking(true, ec);
        const std::size_t n = socket.read_some(buffer.prepare(4096), ec);
        error_code ignored;
        socket.non_blocking(false, ignored);
        if (ec == net::error::would_block) continue;
        if (ec || n == 0) co_return false;  // EOF or reset: the client gave up
        buffer.commit(n);
        if (buffer.size() > max_request_body) co_return false;
    }
}

/// One held fetch (slow or blackhole) counted against RevocationContext::max_held.
class HeldSlot {
public:
    explicit HeldSlot(RevocationContext& context) : context_(context), taken_(++context.held <= context.max_held) {
        if (!taken_) --context_.held;
    }
    ~HeldSlot() {
        if (taken_) --context_.held;
    }
    HeldSlot(const HeldSlot&) = delete;
    HeldSlot& operator=(const HeldSlot&) = delete;
    bool taken() const { return taken_; }

private:
    RevocationContext& context_;
    bool taken_;
};

/// Marks a fetch as being served for its linked connection while it lives.
class FetchInFlight {
public:
    FetchInFlight(RevocationService& service, std::uint64_t conn) : service_(service), conn_(conn) { service_.fetch_started(conn_); }
    ~FetchInFlight() { service_.fetch_ended(conn_); }
    FetchInFlight(const FetchInFlight&) = delete;
    FetchInFlight& operator=(const FetchInFlight&) = delete;

private:
    RevocationService& service_;
    std::uint64_t conn_;
};

/// What a fetch over the held limit gets instead of being held.
RevocationAnswer over_held_limit(int limit) {
    RevocationAnswer answer;
    answer.status = 503;
    answer.content_type = "text/plain";
    answer.body = "tlsfault: " + std::to_string(limit) + " fetches are already held open (slow/blackhole); try again later\n";
    answer.answered = "503 (held-fetch limit: " + std::to_string(limit) + " already held)";
    return answer;
}

}  // namespace

net::awaitable<void> serve_revocation_connection(RevocationContext& context, tcp::socket socket) {
    const std::string ip = client_ip(socket);
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(max_request_body);
        stream.expires_after(context.header_timeout);
        auto [read_ec, read_n] = co_await http::async_read(stream, buffer, parser, nothrow);
        if (read_ec) co_return;  // closed, timed out or not HTTP: this connection ends, nothing else
        const auto start = Clock::now();
        const auto& request = parser.get();
        const std::string target(request.target());
        auto parsed = parse_revocation_target(target);
        RevocationAnswer answer;
        if (parsed) {
            answer = context.service.answer(*parsed, request.body());
        } else {
            answer.status = 404;
            answer.body = usage_text;
            answer.answered = "404";
        }
        std::optional<HeldSlot> slot;
        if (answer.hang || answer.delay.count() > 0) {
            slot.emplace(context);
            if (!slot->taken()) answer = over_held_limit(context.max_held);
        }
        const std::string ca = parsed ? parsed->ca : "";
        const std::uint64_t conn = context.service.linked_connection(answer.serial, ip, ca);
        const std::uint64_t fetch = ++context.fetches;
        FetchInFlight in_flight(context.service, conn);  // the linked handshake's deadline waits meanwhile
        if (parsed)
            context.service.fetches().note(
                conn, is_ca_certificate(parsed->resource) ? LinkedFetches::Kind::aia : LinkedFetches::Kind::revocation);
        JsonLine event(conn, "revocation");
        event.add("fetch", fetch).add("client", ip).add("method", std::string(request.method_string())).add("target", target);
        if (parsed) {
            event.add("resource", to_string(parsed->resource)).add("ca", ca).add("mode", to_string(parsed->mode));
            if (parsed->mode == RevocationMode::slow) event.add("delay_ms", static_cast<std::int64_t>(answer.delay.count()));
        }
        if (!answer.serial.empty()) event.add("serial", answer.serial);
        event.add("answered", answer.answered);
        if (!answer.hang) event.add("status", answer.status);
        context.log.write(event);

        if (answer.hang) {
            std::string ended = co_await hold_open(stream, context.blackhole_hold);
            context.log.write(JsonLine(conn, "revocation_end").add("fetch", fetch).add("outcome", ended).add("held_ms", ms_since(start)));
            co_return;
        }
        if (answer.delay.count() > 0 && !co_await wait_unless_client_leaves(stream, buffer, answer.delay)) {
            context.log.write(
                JsonLine(conn, "revocation_end").add("fetch", fetch).add("outcome", "client gave up").add("held_ms", ms_since(start)));
            co_return;
        }
        http::response<http::string_body> response{static_cast<http::status>(answer.status), request.version()};
        response.set(http::field::server, "tlsfault");
        response.set(http::field::content_type, answer.content_type);
        response.set(http::field::cache_control, "no-store");
        response.keep_alive(request.keep_alive());
        response.body() = std::move(answer.body);
        response.prepare_payload();
        stream.expires_after(context.header_timeout);
        auto [write_ec, written] = co_await http::async_write(stream, response, nothrow);
        if (write_ec || !response.keep_alive()) {
            error_code ignored;
            stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
            co_return;
        }
    }
}

}  // namespace tlsfault::proxy
