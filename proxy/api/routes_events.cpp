// GET events?since=N (numbered events as JSON) and GET events/stream (Server-Sent Events, each
// with `id: N`, resumable with Last-Event-ID). The stream polls the feed on a timer and sends a
// comment line every 15 s so proxies keep it open; it ends when the client goes away.
#include "proxy/api/api_json.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>

#include <charconv>

namespace tlsfault::proxy {
namespace json = boost::json;
namespace {

constexpr std::uint64_t default_limit = 1000;
constexpr auto stream_poll = std::chrono::milliseconds(50);
constexpr auto heartbeat = std::chrono::seconds(15);

/// The event line with `"seq":N` added at the front.
std::string with_seq(const FeedEvent& event) { return "{\"seq\":" + std::to_string(event.seq) + "," + event.line.substr(1); }

net::awaitable<ApiReply> list_events(ApiCall& call) {
    ApiReply error;
    std::uint64_t since = 0, limit = default_limit;
    if (!query_number(call, "since", since, error) || !query_number(call, "limit", limit, error)) co_return error;
    auto& feed = call.context.feed;
    auto events = feed.since(since, static_cast<std::size_t>(limit));
    // Built as text: the lines are already JSON, so there is nothing to parse.
    ApiReply reply;
    reply.body = "{\"events\":[";
    for (std::size_t i = 0; i < events.size(); ++i) reply.body += (i ? "," : "") + with_seq(events[i]);
    const std::uint64_t first = feed.first_seq();
    reply.body += "],\"last_seq\":" + std::to_string(feed.last_seq()) + ",\"first_seq\":" + std::to_string(first) +
                  ",\"missed\":" + (first > since + 1 ? "true" : "false") + "}\n";
    co_return reply;
}

/// The SSE frame for one event: `id`, `event` (the event's name) and `data` (the JSON line).
std::string sse_frame(const FeedEvent& event) {
    std::string name = "message";
    boost::system::error_code ec;
    auto parsed = json::parse(event.line, ec);
    if (!ec && parsed.is_object())
        if (const auto* e = parsed.as_object().if_contains("event"); e && e->is_string()) name = e->as_string().c_str();
    return "id: " + std::to_string(event.seq) + "\nevent: " + name + "\ndata: " + with_seq(event) + "\n\n";
}

/// Where the stream starts: Last-Event-ID (a reconnecting browser), else ?since=, else now.
bool stream_start(const ApiCall& call, std::uint64_t& since, ApiReply& error) {
    std::string_view last = call.request["Last-Event-ID"];
    if (!last.empty()) {
        auto [end, ec] = std::from_chars(last.data(), last.data() + last.size(), since);
        if (ec == std::errc{} && end == last.data() + last.size()) return true;
        error = error_reply(400, "Last-Event-ID '" + std::string(last) + "' is not an event number", "Last-Event-ID");
        return false;
    }
    since = call.context.feed.last_seq();
    return query_number(call, "since", since, error);
}

net::awaitable<ApiReply> stream_events(ApiCall& call) {
    ApiReply error;
    std::uint64_t since = 0;
    if (!stream_start(call, since, error)) co_return error;
    auto& stream = call.stream;
    std::string out =
        "HTTP/1.1 200 OK\r\nServer: tlsfault\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
        "retry: 1000\n\n";
    net::steady_timer timer(stream.get_executor());
    auto quiet_since = std::chrono::steady_clock::now();
    for (;;) {
        for (const auto& event : call.context.feed.since(since, 500)) {
            out += sse_frame(event);
            since = event.seq;
        }
        if (out.empty() && std::chrono::steady_clock::now() - quiet_since >= heartbeat) out = ": keep-alive\n\n";
        if (!out.empty()) {
            stream.expires_after(std::chrono::seconds(30));
            auto [ec, n] = co_await net::async_write(stream, net::buffer(out), nothrow);
            if (ec) break;
            out.clear();
            quiet_since = std::chrono::steady_clock::now();
        }
        timer.expires_after(stream_poll);
        co_await timer.async_wait(nothrow);
    }
    ApiReply done;
    done.written = true;
    co_return done;
}

}  // namespace

void add_event_routes(std::vector<ApiRoute>& routes) {
    routes.push_back({"GET", "/api/v1/events", "numbered events after ?since=N (at most ?limit=, default 1000)", list_events});
    routes.push_back(
        {"GET", "/api/v1/events/stream", "Server-Sent Events from now (or ?since=N, or Last-Event-ID), one per event", stream_events});
}

}  // namespace tlsfault::proxy
