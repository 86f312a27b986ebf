// Matching a request line against the route table: path parameters, query decoding, and which
// methods a known path allows (for 405). Internal to proxy/api/.
#pragma once

#include "proxy/api/api_types.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tlsfault::proxy {

struct RouteMatch {
    const ApiRoute* route = nullptr;            ///< nullptr: no route for this method and path
    std::map<std::string, std::string> params;  ///< {name} -> value, percent-decoded
    std::vector<std::string> allowed;           ///< methods the path has (non-empty: answer 405)
};

/// The route for `method` and `path` (without the query) in `routes`.
RouteMatch match_route(const std::vector<ApiRoute>& routes, std::string_view method, std::string_view path);

/// Splits "a=1&b=x%20y" into decoded pairs (the last of a repeated key wins).
std::map<std::string, std::string> parse_query(std::string_view query);

/// %XX and '+' decoded.
std::string percent_decode(std::string_view text);

}  // namespace tlsfault::proxy
