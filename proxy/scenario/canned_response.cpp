// Why raw bytes and not Beast's serializer: see scenario_responder.cpp; the breakage (a
// truncated body, a chunk-size line that is not hex) must reach the client exactly.
#include "proxy/scenario/canned_response.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace tlsfault::proxy {

namespace model = scenarios;

bool has_header(const model::HttpAction& action, std::string_view name) {
    return std::any_of(action.headers.begin(), action.headers.end(), [&](const auto& h) {
        return std::equal(h.first.begin(), h.first.end(), name.begin(), name.end(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        });
    });
}

RawResponse build_response(const model::HttpAction& action, const std::string& body, bool keep_alive, bool is_head, std::uint64_t conn_id) {
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

}  // namespace tlsfault::proxy
