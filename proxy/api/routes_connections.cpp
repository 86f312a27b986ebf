// GET connections, GET connections/{id}, GET connections/{id}/keylog, GET connections/wait. The
// wait polls the connection store on a timer (never blocking an I/O thread) until a matching
// connection is complete or the timeout ends (then 408).
#include "proxy/api/api_json.hpp"

#include "common/duration_text.hpp"

#include <boost/asio/steady_timer.hpp>

#include <charconv>

namespace tlsfault::proxy {
namespace json = boost::json;
namespace {

constexpr std::uint64_t default_limit = 100;
constexpr auto wait_poll = std::chrono::milliseconds(20);
constexpr auto max_wait = std::chrono::seconds(300);

/// Reads host, scenario and since; false with `error` set when a value is malformed.
bool read_filter(const ApiCall& call, ConnectionFilter& filter, ApiReply& error) {
    filter.host = call.query_value("host");
    filter.scenario = call.query_value("scenario");
    const std::string closed = call.query_value("closed");
    if (!closed.empty() && closed != "true" && closed != "false") {
        error = error_reply(400, "closed=" + closed + ": expected true or false", "closed");
        return false;
    }
    filter.closed = closed == "true";
    return query_number(call, "since", filter.since, error);
}

net::awaitable<ApiReply> list_connections(ApiCall& call) {
    ConnectionFilter filter;
    ApiReply error;
    std::uint64_t limit = default_limit;
    if (!read_filter(call, filter, error) || !query_number(call, "limit", limit, error)) co_return error;
    auto& store = call.context.store;
    auto records = store.list(filter, static_cast<std::size_t>(limit));
    co_return json_reply(json::object{{"connections", std::move(records)}, {"last_id", store.last_id()}});
}

/// The record of the {id} in the path; nullopt with `error` set (400 or 404) when there is none.
std::optional<json::object> record_of(ApiCall& call, ApiReply& error) {
    const std::string& text = call.params.at("id");
    std::uint64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        error = error_reply(400, "connection id '" + text + "' is not a number", "id");
        return std::nullopt;
    }
    auto record = call.context.store.find(id);
    if (!record) error = error_reply(404, "no connection " + text + " (unknown, or older than the store keeps)", "id");
    return record;
}

net::awaitable<ApiReply> show_connection(ApiCall& call) {
    ApiReply error;
    auto record = record_of(call, error);
    co_return record ? json_reply(*record) : error;
}

/// The NSS key log lines whose client random is the connection's (its ClientHello's), as a
/// text file Wireshark reads.
net::awaitable<ApiReply> connection_keylog(ApiCall& call) {
    ApiReply error;
    auto record = record_of(call, error);
    if (!record) co_return error;
    const std::string& id = call.params.at("id");
    if (!call.context.keylog)
        co_return error_reply(
            404,
            "key logging is off: start tlsfault run with --keylog FILE (or set SSLKEYLOGFILE, or use --bundle DIR) to keep each connection's key log lines",
            "id");
    const auto* random = record->if_contains("client_random");
    if (!random || !random->is_string())
        co_return error_reply(404, "connection " + id + " has no key log lines: tlsfault saw no TLS ClientHello on it", "id");
    auto lines = call.context.keylog->lines_for(random->as_string());
    if (lines.empty())
        co_return error_reply(
            404,
            "connection " + id +
                " has no key log lines: its handshake ended before any secret was derived, or the lines are older than the last 5000 connections kept",
            "id");
    ApiReply reply;
    for (const auto& line : lines) reply.body += line + "\n";
    reply.content_type = "text/plain; charset=utf-8";
    reply.headers.emplace_back("Content-Disposition", "attachment; filename=\"tlsfault-connection-" + id + ".keylog\"");
    co_return reply;
}

std::string describe(const ConnectionFilter& f) {
    std::string out;
    if (!f.host.empty()) out += " host=" + f.host;
    if (!f.scenario.empty()) out += " scenario=" + f.scenario;
    if (f.since) out += " since=" + std::to_string(f.since);
    return out.empty() ? " (any)" : out;
}

net::awaitable<ApiReply> wait_connection(ApiCall& call) {
    ConnectionFilter filter;
    ApiReply error;
    if (!read_filter(call, filter, error)) co_return error;
    std::string timeout_text = call.query_value("timeout");
    auto timeout = parse_duration_text(timeout_text.empty() ? "5s" : timeout_text);
    if (!timeout || *timeout > max_wait)
        co_return error_reply(400, "timeout=" + timeout_text + ": expected a duration such as 500ms, 5s or 2m (at most 5m)", "timeout");
    const auto deadline = std::chrono::steady_clock::now() + *timeout;
    net::steady_timer timer(call.stream.get_executor());
    for (;;) {
        if (auto record = call.context.store.newest_complete(filter)) co_return json_reply(*record);
        if (std::chrono::steady_clock::now() >= deadline) break;
        timer.expires_after(std::min<std::chrono::steady_clock::duration>(wait_poll, deadline - std::chrono::steady_clock::now()));
        co_await timer.async_wait(nothrow);
    }
    co_return error_reply(
        408, "no connection matching" + describe(filter) + " completed within " + timeout_text + (timeout_text.empty() ? "5s" : ""),
        "timeout");
}

}  // namespace

void add_connection_routes(std::vector<ApiRoute>& routes) {
    routes.push_back(
        {"GET", "/api/v1/connections", "recent connections, oldest first: ?host= &scenario= &since=ID &limit=N", list_connections});
    routes.push_back(
        {"GET", "/api/v1/connections/wait",
         "wait for the newest connection matching ?host= &scenario= &since=ID to have its verdict (and expectation; with &closed=true, its close too); ?timeout=5s, 408 on timeout",
         wait_connection});
    routes.push_back({"GET", "/api/v1/connections/{id}", "one connection's record", show_connection});
    routes.push_back(
        {"GET", "/api/v1/connections/{id}/keylog",
         "the NSS key log lines of one connection (matched by its ClientHello's client random), text/plain; 404 when unknown or key logging is off",
         connection_keylog});
}

}  // namespace tlsfault::proxy
