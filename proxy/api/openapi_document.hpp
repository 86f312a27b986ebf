// The OpenAPI 3 description of the control API (proxy/api/openapi.json, embedded at build
// time) and the real route table as plain names, so a test can hold one against the other.
// No Asio here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tlsfault::proxy {

/// The embedded openapi.json, served at /api/v1/openapi.json.
std::string_view openapi_document();

struct RouteName {
    std::string method;   ///< "GET"
    std::string pattern;  ///< "/api/v1/scenarios/{name}"
};

/// Every route the API serves, in table order.
std::vector<RouteName> api_route_names();

}  // namespace tlsfault::proxy
