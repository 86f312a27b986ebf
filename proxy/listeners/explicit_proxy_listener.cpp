// An explicit-proxy connection: read one proxy request, check credentials, then either
// intercept a CONNECT tunnel (a CONNECT nested inside it is answered here, up to a depth limit)
// or serve plain HTTP (session/plain_http_session.cpp: scenario rules first, then forwarding). A
// bad request costs this connection only.
#include "proxy/listeners/explicit_proxy_listener.hpp"

#include "proxy/listeners/listener.hpp"
#include "proxy/session/plain_http_session.hpp"
#include "proxy/tls/failure_verdict.hpp"
#include "proxy/relay/absolute_url.hpp"
#include "proxy/relay/http_relay.hpp"
#include "proxy/scenario/scenario_runtime.hpp"
#include "proxy/session/tls_interception.hpp"

#include <openssl/evp.h>

namespace tlsfault::proxy {
namespace {

constexpr int max_auth_attempts = 3;
/// CONNECTs on one connection, each inside the tunnel of the one before (docs/engine.md).
constexpr int max_connect_depth = 4;
constexpr std::string_view established = "HTTP/1.1 200 Connection established\r\n\r\n";

// Built outside the coroutine: GCC 12 miscompiles braced string-literal pairs in a co_await expression.
std::vector<std::pair<std::string, std::string>> proxy_authenticate_header() {
    return {{"Proxy-Authenticate", "Basic realm=\"tlsfault\""}};
}

std::string base64(std::string_view text) {
    std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(text.data()),
                            static_cast<int>(text.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

/// Reads one proxy request header; on failure records the verdict and answers if it can.
net::awaitable<bool> read_proxy_request(EngineState& state, Connection& conn, beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                        RequestParser& parser) {
    configure_parser(parser, state.config.header_limit);
    stream.expires_after(state.config.timeouts.header);
    auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, nothrow);
    if (!ec) co_return true;
    if (ec == http::error::end_of_stream || ec.category() != http::make_error_code(http::error::header_limit).category()) {
        conn.verdict(classify_failure(Phase::proxy_request, ec, nullptr));
        co_return false;
    }
    conn.verdict({Outcome::aborted, Phase::proxy_request, {}, {}, "bad proxy request: " + ec.message()});
    auto status = ec == http::error::header_limit ? http::status::request_header_fields_too_large : http::status::bad_request;
    co_await send_simple_response(stream, status, "bad proxy request: " + ec.message(), false, state.config.timeouts.idle);
    co_await drain_before_close(stream);
    co_return false;
}

/// Why a CONNECT to `target` is refused (403), or "" when it may go ahead: never into
/// tlsfault's own listeners (a tunnel into itself, nested, costs descriptors without end), and
/// only to --allow-connect targets when that is given.
std::string connect_refusal(const EngineState& state, const HostPort& target, std::string& reason_phrase) {
    if (state.own_listeners.named_by(target)) {
        reason_phrase = "CONNECT to tlsfault's own listener refused";
        return "CONNECT to tlsfault's own listener " + target.str() + " refused (no tunnels through tlsfault itself)";
    }
    if (!connect_allowed(state.config, target)) {
        reason_phrase = "CONNECT target not allowed by --allow-connect";
        return "CONNECT target " + target.str() + " not allowed by --allow-connect";
    }
    return {};
}

/// Checks a CONNECT (the `depth`th on this connection) and answers it: a 400 or 403 with the
/// verdict when it is refused, else 200. The target when the tunnel is open.
net::awaitable<std::optional<HostPort>> open_tunnel(EngineState& state, Connection& conn, beast::tcp_stream& stream,
                                                    const http::request_header<>& req, int depth) {
    auto target = parse_host_port(req.target());
    if (!target || target->port == 0) {
        conn.verdict({Outcome::aborted, Phase::proxy_request, {}, {}, "malformed CONNECT target '" + std::string(req.target()) + "'"});
        co_await send_simple_response(stream, http::status::bad_request, "CONNECT needs host:port", false, state.config.timeouts.idle);
        co_return std::nullopt;
    }
    std::string reason_phrase;
    auto refusal = connect_refusal(state, *target, reason_phrase);
    if (refusal.empty() && depth > max_connect_depth) {
        reason_phrase = "CONNECT nesting limit reached";
        refusal = "CONNECT nested " + std::to_string(depth) + " deep refused (at most " + std::to_string(max_connect_depth) +
                  " CONNECTs on one connection, each inside the tunnel of the one before)";
    }
    auto request = conn.event("request").add("method", "CONNECT").add("target", req.target());
    if (depth > 1) request.add("depth", depth);
    if (!refusal.empty()) {
        conn.emit(request.add("refused", refusal));
        conn.verdict({Outcome::aborted, Phase::proxy_request, {}, {}, refusal});
        co_await send_simple_response(stream, http::status::forbidden, refusal, false, state.config.timeouts.idle, {}, reason_phrase);
        co_return std::nullopt;
    }
    conn.emit(request.add("mode", "tunnel"));
    stream.expires_after(state.config.timeouts.idle);
    auto [ec, n] = co_await net::async_write(stream, net::buffer(established.data(), established.size()), nothrow);
    if (ec) {
        conn.verdict(classify_failure(Phase::proxy_request, ec, nullptr));
        co_return std::nullopt;
    }
    co_return target;
}

/// Reads the tunnel's first bytes, just enough to tell whether they are another CONNECT (a
/// proxy request inside the tunnel) or anything else (a ClientHello, other bytes: left in
/// `buffer` for intercept_tls). Sets `nested`; an error when the client sent nothing in time.
net::awaitable<error_code> peek_nested_connect(EngineState& state, beast::tcp_stream& stream, beast::flat_buffer& buffer, bool& nested) {
    constexpr std::string_view connect = "CONNECT ";
    stream.expires_after(state.config.timeouts.client_hello);
    for (;;) {
        const std::string_view got(static_cast<const char*>(buffer.data().data()), buffer.size());
        const auto n = std::min(got.size(), connect.size());
        nested = n == connect.size() && got.starts_with(connect);
        if (nested || got.substr(0, n) != connect.substr(0, n)) co_return error_code{};  // decided
        auto [ec, read] = co_await stream.async_read_some(buffer.prepare(1024), nothrow);
        buffer.commit(read);
        if (ec) co_return ec;
    }
}

/// A CONNECT tunnel, intercepted. A CONNECT inside the tunnel is answered here too (tlsfault
/// is asked again, not the target), up to max_connect_depth on one connection, so tunnels
/// cannot nest without end whatever address they name.
net::awaitable<void> intercept_connect(EngineState& state, Connection& conn, beast::tcp_stream stream, beast::flat_buffer buffer,
                                       const http::request_header<>& first) {
    auto target = co_await open_tunnel(state, conn, stream, first, 1);
    for (int depth = 2; target; ++depth) {
        conn.set_phase(Phase::client_hello);
        bool nested = false;
        if (auto ec = co_await peek_nested_connect(state, stream, buffer, nested)) {
            conn.verdict(classify_failure(Phase::client_hello, ec, nullptr));
            co_return;
        }
        if (!nested) break;
        conn.set_phase(Phase::proxy_request);
        RequestParser parser;
        if (!co_await read_proxy_request(state, conn, stream, buffer, parser)) co_return;
        target = co_await open_tunnel(state, conn, stream, parser.get(), depth);
    }
    if (!target) co_return;
    InterceptTarget intercept;
    intercept.fallback_host = target->host;
    intercept.destination = *target;
    intercept.may_forward = state.forwards(ListenerKind::proxy);
    // Raw bytes to a host a scenario names are not tunnelled to the real host either.
    intercept.tunnel_non_tls = intercept.may_forward && !(state.scenarios && !state.scenarios->scenario_naming(target->host).empty());
    co_await intercept_tls(state, conn, stream, std::move(buffer), std::move(intercept));
}

}  // namespace

bool proxy_credentials_match(std::string_view header_value, std::string_view user_colon_pass) {
    constexpr std::string_view scheme = "Basic ";
    if (header_value.size() <= scheme.size() || !beast::iequals(header_value.substr(0, scheme.size()), scheme)) return false;
    auto given = header_value.substr(scheme.size());
    while (!given.empty() && given.front() == ' ') given.remove_prefix(1);
    return given == base64(user_colon_pass);
}

net::awaitable<void> handle_proxy_connection(EngineState& state, tcp::socket socket) {
    error_code ec;
    auto peer = socket.remote_endpoint(ec);
    auto local = socket.local_endpoint(ec);
    Connection conn(state.log, state.console, ListenerKind::proxy, endpoint_text(peer), endpoint_text(local));
    conn.set_phase(Phase::proxy_request);
    socket.set_option(tcp::no_delay(true), ec);
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (int attempt = 1;; ++attempt) {
        RequestParser parser;
        if (!co_await read_proxy_request(state, conn, stream, buffer, parser)) co_return;
        auto& req = parser.get();
        const auto& auth = state.config.proxy_auth;
        if (auth && !proxy_credentials_match(req[http::field::proxy_authorization], *auth)) {
            bool again = attempt < max_auth_attempts && req.keep_alive() && parser.is_done();
            conn.emit(
                conn.event("request").add("method", req.method_string()).add("target", req.target()).add("proxy_auth", "missing or wrong"));
            co_await send_simple_response(stream, http::status::proxy_authentication_required, "proxy authentication required", again,
                                          state.config.timeouts.idle, proxy_authenticate_header());
            if (again) continue;
            conn.verdict({Outcome::aborted, Phase::proxy_request, {}, {}, "proxy authentication failed"});
            co_return;
        }
        if (req.method() == http::verb::connect) {
            co_await intercept_connect(state, conn, std::move(stream), std::move(buffer), req);
            co_return;
        }
        if (!parse_absolute_url(req.target())) {
            conn.verdict(
                {Outcome::aborted, Phase::proxy_request, {}, {}, "not a proxy request: target '" + std::string(req.target()) + "'"});
            co_await send_simple_response(stream, http::status::bad_request,
                                          "this is tlsfault's explicit proxy port: send CONNECT host:port or an absolute http:// URL",
                                          false, state.config.timeouts.idle);
            co_return;
        }
        co_await serve_plain_http(state, conn, std::move(stream), std::move(buffer), parser);
        co_return;
    }
}

}  // namespace tlsfault::proxy
