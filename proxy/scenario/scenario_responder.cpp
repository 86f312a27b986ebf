// Scenario answers are written as raw bytes rather than through Beast's serializer: the reason
// phrase, the header order and the deliberate breakage (truncation, a bad chunk) must reach the
// client exactly as the rule says. The same code answers inside TLS and on a plain-HTTP proxy
// connection: it only touches the stream through Beast's lowest layer.
#include "proxy/scenario/scenario_responder.hpp"

#include "proxy/faults/reset.hpp"
#include "proxy/origin/request_body.hpp"
#include "proxy/scenario/canned_response.hpp"

#include "proxy/events/json_line.hpp"
#include "proxy/relay/absolute_url.hpp"
#include "proxy/relay/simple_response.hpp"
#include "proxy/scenario/sequence_judge.hpp"

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

/// Answers one request with the rule's HttpAction. False when the connection must end.
template <class Stream>
net::awaitable<bool> answer(EngineState& state, Connection& conn, Stream& stream, const model::HttpAction& action,
                            const http::request_header<>& req, bool keep_alive, const std::string& target) {
    const std::string& body = action.body_bytes();  // a body_file was read when the scenario loaded
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
    conn.emit(conn.event("response")
                  .add("status", action.status)
                  .add("reason", action.reason.empty() ? std::string(model::standard_reason(action.status)) : action.reason)
                  .add("bytes", static_cast<std::uint64_t>(written))
                  .add("source", "scenario"));
    conn.note_request(req.method_string(), target, action.status);
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
                                                   RequestParser& parser, const ScenarioConnection& sc, ExpectationJudge& judge) {
    auto& req = parser.get();
    std::string scenario;
    std::uint64_t attempt = 0;
    const auto* rule = ScenarioRuntime::on_request(sc, request_facts(req, sc), scenario, attempt);
    if (!rule || !rule->http) co_return RuleAnswer::none;
    if (rule->http->forward) co_return RuleAnswer::forward;
    const std::string target(req.target());
    conn.emit(conn.event("request")
                  .add("method", req.method_string())
                  .add("target", target)
                  .add("host", req[http::field::host])
                  .add("mode", "scenario"));
    conn.emit(conn.event("rule").add("scenario", scenario).add("rule", rule->name).add("phase", "request").add("attempt", attempt));
    std::uint64_t uploaded = 0;
    if (auto ec = co_await discard_body(stream, buffer, parser, state.config.timeouts.idle, uploaded)) {
        conn.set_close_reason("reading request body: " + ec.message());
        co_return RuleAnswer::closed;
    }
    judge.before_rule_answer(scenario, *rule);
    bool go_on = co_await answer(state, conn, stream, *rule->http, req, req.keep_alive(), target);
    judge.after_rule_answer(scenario, *rule);
    judge_sequence_step(state, conn, sc, scenario, *rule, attempt, stream.get_executor());
    co_return go_on ? RuleAnswer::answered : RuleAnswer::closed;
}

// The two streams a scenario answers on: inside TLS, and a plain-HTTP proxy connection.
template net::awaitable<RuleAnswer> answer_scenario_request(EngineState&, Connection&, TlsStream&, beast::flat_buffer&, RequestParser&,
                                                            const ScenarioConnection&, ExpectationJudge&);
template net::awaitable<RuleAnswer> answer_scenario_request(EngineState&, Connection&, beast::tcp_stream&, beast::flat_buffer&,
                                                            RequestParser&, const ScenarioConnection&, ExpectationJudge&);

}  // namespace tlsfault::proxy
