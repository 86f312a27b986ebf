// The trainer's board: GET / (the page; with a valid ?token= it sets the token cookie and
// redirects to / so the token leaves the address bar, as Jupyter does), GET /board/FILE (its
// embedded CSS and JS) and GET /api/v1/lab (listeners and CA path, for the copy-paste client
// lines). The page and its assets are public: they hold no secret, every call they make needs
// the token (cookie, Bearer or ?token=).
#include "proxy/api/api_auth.hpp"
#include "proxy/api/api_json.hpp"
#include "proxy/api/board_assets.hpp"

#include "scenarios/builtin/builtin_catalogue.hpp"

#include <boost/json/object.hpp>

namespace tlsfault::proxy {
namespace json = boost::json;
namespace {

std::string content_type_for(std::string_view file_name) {
    if (file_name.ends_with(".html")) return "text/html; charset=utf-8";
    if (file_name.ends_with(".css")) return "text/css; charset=utf-8";
    if (file_name.ends_with(".js")) return "text/javascript; charset=utf-8";
    return "application/octet-stream";
}

/// The embedded file `file_name` with headers that keep the page to itself (no inline script,
/// nothing from another origin), or a 404.
ApiReply asset_reply(std::string_view file_name) {
    for (const auto& asset : board_assets()) {
        if (asset.file_name != file_name) continue;
        ApiReply reply;
        reply.body = asset.bytes;
        reply.content_type = content_type_for(file_name);
        reply.headers.emplace_back("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
        reply.headers.emplace_back("Referrer-Policy", "no-referrer");
        return reply;
    }
    return error_reply(404, "no such board file: " + std::string(file_name), "path");
}

net::awaitable<ApiReply> board_page(ApiCall& call) {
    auto token = call.query.find("token");
    if (token == call.query.end() || !same_token(token->second, call.context.token))
        co_return asset_reply("index.html");  // without a (valid) token the page says how to sign in
    if (token->second.find_first_of(" ;,\"\\") != std::string::npos)
        co_return error_reply(400,
                              "this token cannot be kept in a cookie (it has a space, ';', ',', '\"' or '\\'); "
                              "start tlsfault with an --api-token of letters and digits",
                              "token");
    ApiReply reply;
    reply.status = 303;
    reply.content_type = "text/plain; charset=utf-8";
    reply.body = "signed in; continue at /\n";
    reply.headers.emplace_back("Location", "/");
    reply.headers.emplace_back("Set-Cookie", "tlsfault_token=" + token->second + "; Path=/; HttpOnly; SameSite=Strict");
    reply.headers.emplace_back("Referrer-Policy", "no-referrer");
    co_return reply;
}

net::awaitable<ApiReply> lab_info(ApiCall& call) {
    const auto& c = call.context;
    json::array listeners;
    for (const auto& [kind, address] : c.listeners) listeners.push_back(json::object{{"kind", kind}, {"address", address}});
    json::array groups;  // in `tlsfault list` order, so the switchboard groups the catalogue the same way
    for (const auto& group : scenarios::scenario_groups()) groups.push_back(json::object{{"id", group.id}, {"heading", group.heading}});
    co_return json_reply(json::object{
        {"listeners", std::move(listeners)}, {"ca_path", c.ca_path}, {"lab_domain", c.lab_domain}, {"groups", std::move(groups)}});
}

}  // namespace

void add_board_routes(std::vector<ApiRoute>& routes) {
    routes.push_back({"GET", "/", "the trainer's board (with ?token=T: sets the token cookie and redirects to /)", board_page, true});
    routes.push_back({"GET", "/board/{file}", "the board's embedded CSS and JS",
                      [](ApiCall& call) -> net::awaitable<ApiReply> { co_return asset_reply(call.params.at("file")); }, true});
    routes.push_back(
        {"GET", "/api/v1/lab", "the engine's listeners (kind, address), the lab CA file, lab domain and scenario groups", lab_info});
}

}  // namespace tlsfault::proxy
