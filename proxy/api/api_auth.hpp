// The control API's bearer token check: `Authorization: Bearer T`, a `tlsfault_token` cookie, or
// `?token=T` (for a browser dashboard). Internal to proxy/api/.
#pragma once

#include "proxy/api/api_types.hpp"

#include <map>
#include <string>

namespace tlsfault::proxy {

/// True when `given` is `token` (constant time; an empty token matches nothing).
bool same_token(std::string_view given, const std::string& token);

/// True when the request carries `token` in any of the accepted places (compared in constant time).
bool api_authorized(const ApiRequest& request, const std::map<std::string, std::string>& query, const std::string& token);

}  // namespace tlsfault::proxy
