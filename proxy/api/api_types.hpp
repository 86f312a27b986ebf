// One control-API call and its answer, and the shape of a route handler. Internal to proxy/api/.
#pragma once

#include "proxy/api/api_context.hpp"
#include "proxy/core/net.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace tlsfault::proxy {

using ApiRequest = beast::http::request<beast::http::string_body>;

/// A JSON (or PEM/DER/text) answer to one call.
struct ApiReply {
    int status = 200;
    std::string body;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    /// True when the handler wrote the whole answer itself (the SSE stream): nothing more is sent.
    bool written = false;
};

struct ApiCall {
    ApiContext& context;
    const ApiRequest& request;
    beast::tcp_stream& stream;                  ///< for handlers that stream (events/stream)
    std::map<std::string, std::string> params;  ///< from the path: {name}, {id}
    std::map<std::string, std::string> query;   ///< decoded query parameters

    /// The query parameter `key`, or "" when absent.
    std::string query_value(const std::string& key) const {
        auto it = query.find(key);
        return it == query.end() ? std::string() : it->second;
    }
};

using ApiHandler = std::function<net::awaitable<ApiReply>(ApiCall&)>;

/// One entry of the route table: what openapi.json documents and the router dispatches.
struct ApiRoute {
    std::string method;   ///< "GET", "PUT", "POST", "DELETE"
    std::string pattern;  ///< "/api/v1/scenarios/{name}"
    std::string summary;  ///< one line, for openapi.json
    ApiHandler handler;
    bool public_route = false;  ///< served without the token (health only)
};

/// The route groups, one function per resource file.
void add_basic_routes(std::vector<ApiRoute>& routes);
void add_scenario_routes(std::vector<ApiRoute>& routes);
void add_active_routes(std::vector<ApiRoute>& routes);
void add_connection_routes(std::vector<ApiRoute>& routes);
void add_event_routes(std::vector<ApiRoute>& routes);
void add_board_routes(std::vector<ApiRoute>& routes);
void add_fault_routes(std::vector<ApiRoute>& routes);
void add_metrics_routes(std::vector<ApiRoute>& routes);

/// Every route, in match order (literal paths before {param} ones at the same place).
const std::vector<ApiRoute>& api_routes();

}  // namespace tlsfault::proxy
