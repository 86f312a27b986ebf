// Scenario answers are written as raw bytes rather than through Beast's serializer: the reason
// phrase, the header order and the deliberate breakage (truncation, a bad chunk) must reach the
// client exactly as the rule says. The same code answers inside TLS and on a plain-HTTP proxy
// connection: it only touches the stream through Beast's lowest layer.
#include "proxy/scenario/scenario_responder.hpp"

#include "proxy/faults/reset.hpp"

#include "proxy/events/json_line.hpp"
#include "proxy/relay/absolute_url.hpp"
#include "proxy/relay/simple_response.hpp"
#include "proxy/scenario/scenario_session.hpp"
#include "proxy/scenario/sequence_judge.hpp"

#include "certgen/pem_io.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <type_traits>

namespace tlsfault::proxy {
namespace {

namespace model = scenarios;

template <class Stream>
net::awaitable<error_code> discard_body(Stream& stream, beast::flat_buffer& buffer, RequestParser& parser,
                                        std::chrono::milliseconds idle) {
    auto scratch = std::make_unique<char[]>(16 * 1024);
    while (!parser.is_done()) {
        auto& body = parser.get().body();
        body.data = scratch.get();
        body.size = 16 * 1024;
        beast::get_lowest_layer(stream).expires_after(idle);
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, nothrow);
        if (ec && ec != http::error::need_buffer) co_return ec;
    }
    co_return error_code{};
}

model::RequestFacts request_facts(const http::request_header<>& req, const ScenarioConnection& sc) {
    model::RequestFacts facts;
    facts.method = std::string(req.method_string());
    std::string target(req.target());
    // A plain-HTTP proxy request names the whole URL; rules match its path and query.
    if (auto url = parse_absolute_url(target)) target = url->origin_form;
    auto q = target.find('?');
    facts.path = target.substr(0, q);
    if (q != std::string::npos) facts.query = target.substr(q + 1);
    for (const auto& field : req) facts.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    facts.client_cert_presented = sc.client_cert_presented;
    facts.client_cert_valid = sc.client_cert_valid;
    return facts;
}

bool has_header(const model::HttpAction& action, std::string_view name) {
    return std::any_of(action.headers.begin(), action.headers.end(), [&](const auto& h) {
        return std::equal(h.first.begin(), h.first.end(), name.begin(), name.end(),
                          [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); });
    });
}

/// The response bytes, and how many of them to send before breaking the connection (npos: all).
struct RawResponse {
    std::string bytes;
    std::size_t send = std::string::npos;
    bool reset_after = false;  ///< abort_after: RST instead of FIN
    bool close_after = false;
    bool truncates = false;  ///< truncate_body: end with a bare FIN, no close_notify (the truncation is the point)
};

RawResponse build_response(const model::HttpAction& action, const std::string& body, bool keep_alive, bool is_head,
                           std::uint64_t conn_id) {
    RawResponse r;
    std::string reason = action.reason.empty() ? std::string(model::standard_reason(action.status)) : action.reason;
    std::string head = "HTTP/1.1 " + std::to_string(action.status) + " " + reason + "\r\n";
    if (!has_header(action, "Server")) head += "Server: tlsfault\r\n";
    for (const auto& [name, value] : action.headers) head += name + ": " + value + "\r\n";
    if (action.connection_header && !has_header(action, "X-Tlsfault-Connection"))
        head += "X-Tlsfault-Connection: " + std::to_string(conn_id) + "\r\n";
    const bool breaks = action.abort_after || action.truncate_body || action.malformed_chunk;
    if (!keep_alive || breaks) head += "Connection: close\r\n";
    r.close_after = !keep_alive || breaks;
    if (action.malformed_chunk) {
        head += "Transfer-Encoding: chunked\r\n\r\n";
        auto half = body.size() / 2;
        char size_line[32];
        std::snprintf(size_line, sizeof size_line, "%zx\r\n", half);
        r.bytes = head + size_line + body.substr(0, half) + "\r\nzz-not-hex\r\n" + body.substr(half) + "\r\n0\r\n\r\n";
        return r;
    }
    if (!has_header(action, "Content-Length")) head += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    head += "\r\n";
    r.bytes = head + (is_head ? std::string() : body);
    if (is_head) return r;
    if (action.truncate_body) r.send = head.size() + std::min<std::size_t>(*action.truncate_body, body.size()), r.truncates = true;
    if (action.abort_after) r.send = head.size() + std::min<std::size_t>(*action.abort_after, body.size()), r.reset_after = true;
    return r;
}

/// Answers one request with the rule's HttpAction. False when the connection must end.
template <class Stream>
net::awaitable<bool> answer(EngineState& state, Connection& conn, Stream& stream, const model::HttpAction& action,
                            const http::request_header<>& req, bool keep_alive, const std::string& target) {
    std::string body = action.body;
    std::string body_error;
    if (action.body_file) {
        try {  // certgen's file reader throws; a missing body file becomes a 500 for this request
            body = certgen::read_file(*action.body_file);
        } catch (const std::exception& e) {
            body_error = e.what();
        }
    }
    if (!body_error.empty()) {  // (no co_await inside a catch handler)
        conn.emit(conn.event("response").add("status", 500).add("source", "scenario").add("error", body_error));
        co_await send_simple_response(stream, http::status::internal_server_error, "scenario body_file: " + body_error, false,
                                      state.config.timeouts.idle);
        co_return false;
    }
    if (action.delay.count() > 0) {
        net::steady_timer timer(co_await net::this_coro::executor, action.delay);
        co_await timer.async_wait(nothrow);
    }
    auto raw = build_response(action, body, keep_alive, req.method() == http::verb::head, conn.id());
    const std::size_t count = std::min(raw.send, raw.bytes.size());
    auto& socket = beast::get_lowest_layer(stream);
    socket.expires_after(state.config.timeouts.idle);
    auto [ec, written] = co_await net::async_write(stream, net::buffer(raw.bytes.data(), count), nothrow);
    conn.add_bytes(0, written);
    conn.emit(conn.event("response").add("status", action.status).add("reason", action.reason.empty() ? std::string(model::standard_reason(action.status)) : action.reason)
                  .add("bytes", static_cast<std::uint64_t>(written)).add("source", "scenario"));
    conn.note_request(std::string(req.method_string()) + " " + target + " -> " + std::to_string(action.status));
    if (ec) co_return false;
    if (raw.reset_after) {
        conn.mark_reset_by_session();
        faults::close_with_reset(socket.socket());
        co_return false;
    }
    if (raw.close_after) {
        // Inside TLS an orderly end is close_notify, which the session sends once the request
        // loop returns; a bare FIN here would look like a truncation attack to the client
        // ("unexpected eof while reading"). Only truncate_body asks for exactly that.
        if (raw.truncates || !std::is_same_v<Stream, TlsStream>) {
            error_code ignored;
            socket.socket().shutdown(tcp::socket::shutdown_send, ignored);
        }
        co_return false;
    }
    co_return true;
}

}  // namespace

template <class Stream>
net::awaitable<RuleAnswer> answer_scenario_request(EngineState& state, Connection& conn, Stream& stream, beast::flat_buffer& buffer,
                                                   RequestParser& parser, ScenarioConnection& sc) {
    auto& req = parser.get();
    std::string scenario;
    std::uint64_t attempt = 0;
    const auto* rule = ScenarioRuntime::on_request(sc, request_facts(req, sc), scenario, attempt);
    if (!rule || !rule->http) co_return RuleAnswer::none;
    if (rule->http->forward) co_return RuleAnswer::forward;
    const std::string target(req.target());
    conn.emit(conn.event("request").add("method", req.method_string()).add("target", target)
                  .add("host", req[http::field::host]).add("mode", "scenario"));
    conn.emit(conn.event("rule").add("scenario", scenario).add("rule", rule->name).add("phase", "request")
                  .add("attempt", attempt));
    if (auto ec = co_await discard_body(stream, buffer, parser, state.config.timeouts.idle)) {
        conn.set_close_reason("reading request body: " + ec.message());
        co_return RuleAnswer::closed;
    }
    // A retry sequence is judged when it ends (sequence_judge.hpp), not at each failed attempt.
    const auto* judged = judged_as_sequence(*rule) ? nullptr : rule->expect ? rule : (sc.rule && sc.rule->expect && !sc.expectation_done) ? sc.rule : nullptr;
    auto judge = [&] {
        model::ObservedVerdict observed{"accepted", std::nullopt, rule->http->status};
        if (judged == sc.rule) judge_connection_rule(conn, sc, observed);
        else ScenarioRuntime::emit_expectation(conn, scenario, judged->name, *judged->expect, observed);
    };
    // An expectation without a status is met once the request is here: judge it before a
    // delayed answer, which a client with a short timeout never waits for.
    if (judged && !judged->expect->status) judge();
    bool go_on = co_await answer(state, conn, stream, *rule->http, req, req.keep_alive(), target);
    if (judged && judged->expect->status) judge();
    judge_sequence_step(state, conn, sc, scenario, *rule, attempt, stream.get_executor());
    co_return go_on ? RuleAnswer::answered : RuleAnswer::closed;
}

// The two streams a scenario answers on: inside TLS, and a plain-HTTP proxy connection.
template net::awaitable<RuleAnswer> answer_scenario_request(EngineState&, Connection&, TlsStream&, beast::flat_buffer&,
                                                            RequestParser&, ScenarioConnection&);
template net::awaitable<RuleAnswer> answer_scenario_request(EngineState&, Connection&, beast::tcp_stream&, beast::flat_buffer&,
                                                            RequestParser&, ScenarioConnection&);

}  // namespace tlsfault::proxy
