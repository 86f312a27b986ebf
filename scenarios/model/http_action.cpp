#include "scenarios/model/http_action.hpp"

#include <algorithm>
#include <cctype>

namespace tlsfault::scenarios {
namespace {

constexpr std::pair<int, std::string_view> reasons[] = {
    {200, "OK"},
    {201, "Created"},
    {204, "No Content"},
    {301, "Moved Permanently"},
    {302, "Found"},
    {304, "Not Modified"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {407, "Proxy Authentication Required"},
    {408, "Request Timeout"},
    {429, "Too Many Requests"},
    {500, "Internal Server Error"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
};

bool is_token(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    });
}

bool has_control(const std::string& s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

void read_headers(const MapReader& m, HttpAction& out) {
    const YAML::Node node = m.get("headers");
    if (!node.IsMap()) {
        m.diag().error(node, m.path("headers"), "expected a mapping of header name to value, got " + describe(node));
        return;
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
        auto name = read_text(it->first, m.path("headers"), m.diag());
        if (!name) continue;
        const std::string path = m.path("headers") + "." + *name;
        if (!is_token(*name)) {
            m.diag().error(it->first, path, "'" + *name + "' is not a valid header name");
            continue;
        }
        auto value = read_string(it->second, path, m.diag());
        if (value && has_control(*value))
            m.diag().error(it->second, path, "a header value cannot hold CR, LF or NUL");
        else if (value)
            out.headers.emplace_back(*name, *value);
    }
}

void read_breakage(const MapReader& m, HttpAction& out) {
    Diagnostics& d = m.diag();
    if (m.has("abort_after")) out.abort_after = read_size(m.get("abort_after"), m.path("abort_after"), d);
    if (m.has("truncate_body")) out.truncate_body = read_size(m.get("truncate_body"), m.path("truncate_body"), d);
    if (m.has("malformed_chunk")) out.malformed_chunk = read_bool(m.get("malformed_chunk"), m.path("malformed_chunk"), d).value_or(false);
    int broken = m.has("abort_after") + m.has("truncate_body") + out.malformed_chunk;
    if (broken > 1) d.error(m.node(), m.path(), "choose at most one of abort_after, truncate_body and malformed_chunk");
}

}  // namespace

std::string_view standard_reason(int status) {
    for (auto [code, text] : reasons)
        if (code == status) return text;
    return {};
}

std::optional<HttpAction> parse_http_action(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    HttpAction out;
    if (node.IsScalar() && node.Scalar() == "forward") {
        out.forward = true;
        return out;
    }
    if (node.IsScalar()) {
        diag.error(node, path, "expected 'forward' or a mapping with a status, got " + describe(node));
        return std::nullopt;
    }
    MapReader m(node, path, diag,
                {"status", "reason", "headers", "body", "body_file", "delay", "abort_after", "truncate_body", "malformed_chunk",
                 "connection_header"});
    if (!m.ok() || !m.require("status")) return std::nullopt;
    out.status = static_cast<int>(read_int(m.get("status"), m.path("status"), diag, 100, 999).value_or(500));
    out.reason = std::string(standard_reason(out.status));
    if (m.has("reason")) {
        auto reason = read_string(m.get("reason"), m.path("reason"), diag);
        if (reason && has_control(*reason))
            diag.error(m.get("reason"), m.path("reason"), "a reason phrase cannot hold CR, LF or NUL");
        else if (reason)
            out.reason = *reason;
    }
    if (m.has("headers")) read_headers(m, out);
    if (m.has("body") && m.has("body_file")) diag.error(m.get("body_file"), m.path("body_file"), "give body or body_file, not both");
    if (m.has("body")) out.body = read_string(m.get("body"), m.path("body"), diag).value_or("");
    if (m.has("body_file"))
        out.body_file = read_named_file(m.get("body_file"), m.path("body_file"), diag, max_body_file_bytes, "a body_file");
    if (m.has("delay")) out.delay = read_duration(m.get("delay"), m.path("delay"), diag).value_or(out.delay);
    read_breakage(m, out);
    if (m.has("connection_header"))
        out.connection_header = read_bool(m.get("connection_header"), m.path("connection_header"), diag).value_or(true);
    return out;
}

}  // namespace tlsfault::scenarios
