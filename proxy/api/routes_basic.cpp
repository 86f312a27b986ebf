// GET health, GET ca.pem, GET ca.der, and the route table that gathers every group.
#include "proxy/api/api_json.hpp"
#include "proxy/api/openapi_document.hpp"

#include <boost/json/object.hpp>

namespace tlsfault::proxy {
namespace json = boost::json;
namespace {

net::awaitable<ApiReply> health(ApiCall& call) {
    auto& c = call.context;
    json::array active;
    for (const auto& scenario : c.runtime.active()) active.push_back(json::string(scenario->name));
    auto uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - c.started).count();
    co_return json_reply(json::object{{"status", "ok"},
                                      {"uptime_s", uptime},
                                      {"active", std::move(active)},
                                      {"last_connection", c.store.last_id()},
                                      {"last_event", c.feed.last_seq()}});
}

ApiReply certificate_reply(const std::string& bytes, const char* type, const char* file) {
    ApiReply reply;
    reply.body = bytes;
    reply.content_type = type;
    reply.headers.emplace_back("Content-Disposition", std::string("attachment; filename=\"") + file + "\"");
    return reply;
}

}  // namespace

void add_basic_routes(std::vector<ApiRoute>& routes) {
    routes.push_back({"GET", "/api/v1/health", "liveness: status, uptime, active scenarios, newest connection and event", health, true});
    routes.push_back({"GET", "/api/v1/ca.pem", "the lab root CA certificate (PEM) to trust", [](ApiCall& call) -> net::awaitable<ApiReply> {
                          co_return certificate_reply(call.context.ca_pem, "application/x-pem-file", "tlsfault-root.pem");
                      }});
    routes.push_back({"GET", "/api/v1/ca.der", "the lab root CA certificate (DER)", [](ApiCall& call) -> net::awaitable<ApiReply> {
                          co_return certificate_reply(call.context.ca_der, "application/pkix-cert", "tlsfault-root.der");
                      }});
    routes.push_back({"GET", "/api/v1/openapi.json", "this API as an OpenAPI 3 document",
                      [](ApiCall&) -> net::awaitable<ApiReply> {
                          ApiReply reply;
                          reply.body = std::string(openapi_document());
                          co_return reply;
                      },
                      true});
}

const std::vector<ApiRoute>& api_routes() {
    static const std::vector<ApiRoute> routes = [] {
        std::vector<ApiRoute> all;
        add_basic_routes(all);
        add_scenario_routes(all);
        add_connection_routes(all);
        add_event_routes(all);
        add_board_routes(all);
        add_fault_routes(all);
        add_metrics_routes(all);
        return all;
    }();
    return routes;
}

}  // namespace tlsfault::proxy

namespace tlsfault::proxy {

std::vector<RouteName> api_route_names() {
    std::vector<RouteName> out;
    for (const auto& route : api_routes()) out.push_back({route.method, route.pattern});
    return out;
}

}  // namespace tlsfault::proxy
