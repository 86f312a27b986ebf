// The origin-mode answer to one request. Request bodies are read and dropped in bounded chunks, so a
// client uploading anything still gets its answer without tlsfault holding the upload.
#include "proxy/origin/origin_responder.hpp"

#include "proxy/origin/request_body.hpp"

namespace tlsfault::proxy {

net::awaitable<bool> answer_origin_request(TlsStream& stream, beast::flat_buffer& buffer, RequestParser& parser, OriginFacts facts,
                                           Connection& conn, const EngineConfig& config) {
    auto& req = parser.get();
    facts.method = std::string(req.method_string());
    facts.target = std::string(req.target());
    const std::string accept(req[http::field::accept]);
    const bool keep_alive = req.keep_alive();
    const bool is_head = req.method() == http::verb::head;
    conn.emit(conn.event("request")
                  .add("method", facts.method)
                  .add("target", facts.target)
                  .add("host", req[http::field::host])
                  .add("mode", "origin"));
    std::uint64_t uploaded = 0;
    if (auto ec = co_await discard_body(stream, buffer, parser, config.timeouts.idle, uploaded)) {
        conn.set_close_reason("reading request body: " + ec.message());
        co_return false;
    }
    conn.add_bytes(uploaded, 0);
    auto page = render_origin_page(facts, accept);
    http::response<http::string_body> res{http::status::ok, 11};
    res.set(http::field::server, "tlsfault");
    res.set(http::field::content_type, page.content_type);
    res.set(http::field::cache_control, "no-store");
    res.set("X-Tlsfault-Profile", facts.profile);
    res.set("X-Tlsfault-Connection", std::to_string(facts.conn));
    res.keep_alive(keep_alive);
    const auto length = page.body.size();
    if (!is_head) res.body() = std::move(page.body);
    res.content_length(length);
    stream.next_layer().expires_after(config.timeouts.idle);
    auto [wec, written] = co_await http::async_write(stream, res, nothrow);
    conn.add_bytes(0, is_head ? 0 : length);
    conn.emit(conn.event("response")
                  .add("status", 200)
                  .add("reason", "OK")
                  .add("body_bytes", static_cast<std::uint64_t>(is_head ? 0 : length))
                  .add("source", "origin"));
    conn.note_request(facts.method, facts.target, 200);
    co_return !wec && keep_alive;
}

}  // namespace tlsfault::proxy
