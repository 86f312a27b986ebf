// Absolute-form targets: RFC 9112 3.2.2. userinfo is refused (never valid in a request target).
#include "proxy/relay/absolute_url.hpp"

#include <algorithm>
#include <cctype>

namespace tlsfault::proxy {

std::optional<AbsoluteUrl> parse_absolute_url(std::string_view target) {
    constexpr std::string_view scheme = "http://";
    if (target.size() < scheme.size() || !std::equal(scheme.begin(), scheme.end(), target.begin(),
                                                     [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); }))
        return std::nullopt;
    std::string_view rest = target.substr(scheme.size());
    auto slash = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, slash);
    if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
    AbsoluteUrl url;
    std::string with_port(authority);
    bool has_port =
        authority.front() == '[' ? authority.find("]:") != std::string_view::npos : authority.find(':') != std::string_view::npos;
    if (!has_port) with_port += ":80";
    auto parsed = parse_host_port(with_port);
    if (!parsed) return std::nullopt;
    url.authority = *parsed;
    url.origin_form = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    if (url.origin_form.front() == '?') url.origin_form.insert(url.origin_form.begin(), '/');
    return url;
}

}  // namespace tlsfault::proxy
