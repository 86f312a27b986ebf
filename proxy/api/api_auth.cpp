// Token comparison with CRYPTO_memcmp, so timing tells an attacker nothing about the prefix.
#include "proxy/api/api_auth.hpp"

#include <openssl/crypto.h>

#include <string_view>

namespace tlsfault::proxy {

bool same_token(std::string_view given, const std::string& token) {
    return !token.empty() && given.size() == token.size() && CRYPTO_memcmp(given.data(), token.data(), token.size()) == 0;
}

namespace {

/// The value of cookie `name` in a Cookie header ("a=1; tlsfault_token=T").
std::string_view cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        auto end = header.find(';');
        auto pair = header.substr(0, end);
        header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        if (pair.starts_with(name) && pair.size() > name.size() && pair[name.size()] == '=') return pair.substr(name.size() + 1);
    }
    return {};
}

}  // namespace

bool api_authorized(const ApiRequest& request, const std::map<std::string, std::string>& query, const std::string& token) {
    namespace http = beast::http;
    std::string_view authorization = request[http::field::authorization];
    if (authorization.starts_with("Bearer ") && same_token(authorization.substr(7), token)) return true;
    if (same_token(cookie_value(request[http::field::cookie], "tlsfault_token"), token)) return true;
    auto it = query.find("token");
    return it != query.end() && same_token(it->second, token);
}

}  // namespace tlsfault::proxy
