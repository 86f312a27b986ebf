// The API's HTTP loop on Beast. Errors from reading (too big, not HTTP) are answered as JSON
// once and the connection closed; everything after the token check is a route's business.
#include "proxy/api/api_session.hpp"

#include "proxy/api/api_auth.hpp"
#include "proxy/api/api_json.hpp"
#include "proxy/api/api_router.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http.hpp>

namespace tlsfault::proxy {
namespace {

namespace http = beast::http;
constexpr auto read_timeout = std::chrono::seconds(30);

/// Writes `reply` for a request of `version`; false when the connection should end.
net::awaitable<bool> write_reply(beast::tcp_stream& stream, const ApiReply& reply, unsigned version, bool keep_alive) {
    http::response<http::string_body> response{static_cast<http::status>(reply.status), version};
    response.set(http::field::server, "tlsfault");
    response.set(http::field::content_type, reply.content_type);
    response.set(http::field::cache_control, "no-store");
    for (const auto& [name, value] : reply.headers) response.set(name, value);
    response.keep_alive(keep_alive);
    response.body() = reply.body;
    response.prepare_payload();
    stream.expires_after(read_timeout);
    auto [ec, n] = co_await http::async_write(stream, response, nothrow);
    co_return !ec && keep_alive;
}

/// After a 413, reads and drops what the client is still sending (up to a limit and a
/// deadline) so that it sees the answer instead of a reset.
net::awaitable<void> drain(beast::tcp_stream& stream) {
    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.expires_after(std::chrono::seconds(2));
    char sink[16 * 1024];
    for (std::size_t total = 0; total < 64 * 1024 * 1024;) {
        auto [ec, n] = co_await stream.async_read_some(net::buffer(sink), nothrow);
        if (ec) co_return;
        total += n;
    }
}

net::awaitable<ApiReply> dispatch(ApiContext& context, const ApiRequest& request, beast::tcp_stream& stream) {
    std::string_view target = request.target();
    auto question = target.find('?');
    std::string_view path = target.substr(0, question);
    auto query = parse_query(question == std::string_view::npos ? std::string_view() : target.substr(question + 1));
    auto match = match_route(api_routes(), request.method_string(), path);
    if (!match.route && match.allowed.empty())
        co_return error_reply(404, "no such endpoint: " + std::string(path) + " (see /api/v1/openapi.json)", "path");
    if (!(match.route && match.route->public_route) && !api_authorized(request, query, context.token)) {
        auto reply =
            error_reply(401, "missing or wrong token: send Authorization: Bearer <token> (the banner of tlsfault run says where it is)",
                        "Authorization");
        reply.headers.emplace_back("WWW-Authenticate", "Bearer");
        co_return reply;
    }
    if (!match.route) {
        std::string allowed;
        for (const auto& m : match.allowed) allowed += (allowed.empty() ? "" : ", ") + m;
        auto reply = error_reply(
            405, std::string(request.method_string()) + " is not allowed on " + std::string(path) + "; allowed: " + allowed, "method");
        reply.headers.emplace_back("Allow", allowed);
        co_return reply;
    }
    ApiCall call{context, request, stream, std::move(match.params), std::move(query)};
    co_return co_await match.route->handler(call);
}

}  // namespace

net::awaitable<void> serve_api_connection(ApiContext& context, tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(api_body_limit);
        parser.header_limit(64 * 1024);
        stream.expires_after(read_timeout);
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, nothrow);
        if (ec == http::error::body_limit) {
            auto reply = error_reply(413, "request body larger than " + std::to_string(api_body_limit) + " bytes", "body");
            co_await write_reply(stream, reply, parser.get().version(), false);
            co_await drain(stream);
            co_return;
        }
        if (ec == http::error::header_limit) {
            co_await write_reply(stream, error_reply(400, "request header too large", "header"), 11, false);
            co_return;
        }
        if (ec) co_return;  // closed, timed out or not HTTP
        const auto& request = parser.get();
        ApiReply reply = co_await dispatch(context, request, stream);
        if (reply.written) co_return;
        if (!co_await write_reply(stream, reply, request.version(), request.keep_alive())) {
            error_code ignored;
            stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
            co_return;
        }
    }
}

net::awaitable<void> fold_events_periodically(ApiContext& context) {
    net::steady_timer timer(co_await net::this_coro::executor);
    for (;;) {
        timer.expires_after(std::chrono::seconds(1));
        auto [ec] = co_await timer.async_wait(nothrow);
        if (ec) co_return;
        context.store.catch_up();
    }
}

}  // namespace tlsfault::proxy
