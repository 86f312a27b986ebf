// Route matching segment by segment: a literal segment must be equal, a {param} segment takes
// any non-empty value. The table is small, so a linear scan in table order is enough.
#include "proxy/api/api_router.hpp"

namespace tlsfault::proxy {
namespace {

std::vector<std::string_view> segments(std::string_view path) {
    std::vector<std::string_view> out;
    while (!path.empty()) {
        if (path.front() == '/') {
            path.remove_prefix(1);
            continue;
        }
        auto end = path.find('/');
        out.push_back(path.substr(0, end));
        path = end == std::string_view::npos ? std::string_view() : path.substr(end);
    }
    return out;
}

bool match_path(std::string_view pattern, std::string_view path, std::map<std::string, std::string>& params) {
    auto want = segments(pattern), got = segments(path);
    if (want.size() != got.size()) return false;
    std::map<std::string, std::string> found;
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (want[i].starts_with('{'))
            found[std::string(want[i].substr(1, want[i].size() - 2))] = percent_decode(got[i]);
        else if (want[i] != got[i])
            return false;
    }
    params = std::move(found);
    return true;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+')
            out += ' ';
        else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0)
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])), i += 2;
        else
            out += text[i];
    }
    return out;
}

std::map<std::string, std::string> parse_query(std::string_view query) {
    std::map<std::string, std::string> out;
    while (!query.empty()) {
        auto end = query.find('&');
        auto pair = query.substr(0, end);
        query = end == std::string_view::npos ? std::string_view() : query.substr(end + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        out[percent_decode(pair.substr(0, eq))] = eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
    }
    return out;
}

RouteMatch match_route(const std::vector<ApiRoute>& routes, std::string_view method, std::string_view path) {
    RouteMatch result;
    std::map<std::string, std::string> params;
    for (const auto& route : routes) {
        if (!match_path(route.pattern, path, params)) continue;
        if (route.method == method) {
            result.route = &route;
            result.params = std::move(params);
            result.allowed.clear();
            return result;
        }
        result.allowed.push_back(route.method);
    }
    return result;
}

}  // namespace tlsfault::proxy
