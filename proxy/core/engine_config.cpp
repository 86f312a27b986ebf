// Parsing helpers for the engine's settings.
#include "proxy/core/engine_config.hpp"

#include "common/name_table.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace tlsfault::proxy {

std::string HostPort::str() const {  // built in place: every connection's record has two
    const bool v6 = host.find(':') != std::string::npos;
    char digits[8];
    const auto digits_end = std::to_chars(digits, digits + sizeof digits, port).ptr;
    std::string out;
    out.reserve(host.size() + 3 + static_cast<std::size_t>(digits_end - digits));
    if (v6) out += '[';
    out += host;
    if (v6) out += ']';
    out += ':';
    out.append(digits, digits_end);
    return out;
}

std::optional<HostPort> parse_host_port(std::string_view text) {
    HostPort out;
    std::string_view port_text;
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') return std::nullopt;
        out.host = std::string(text.substr(1, close - 1));
        port_text = text.substr(close + 2);
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string_view::npos) return std::nullopt;
        out.host = std::string(text.substr(0, colon));
        if (out.host.find(':') != std::string::npos) return std::nullopt;  // bare IPv6 needs brackets
        port_text = text.substr(colon + 1);
    }
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (out.host.empty() || port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535)
        return std::nullopt;
    out.port = static_cast<std::uint16_t>(port);
    return out;
}

namespace {

/// 127.0.0.0/8 or ::1 (an IP literal; a --proxy-listen address is always one).
bool is_loopback_literal(const std::string& host) {
    unsigned char bytes[16];
    if (inet_pton(AF_INET, host.c_str(), bytes) == 1) return bytes[0] == 127;
    if (inet_pton(AF_INET6, host.c_str(), bytes) == 1)
        return std::all_of(bytes, bytes + 15, [](unsigned char b) { return b == 0; }) && bytes[15] == 1;
    return false;
}

}  // namespace

bool connect_allowed(const EngineConfig& config, const HostPort& target) {
    if (config.allow_connect.empty()) return true;
    const std::string text = target.str();
    return std::any_of(config.allow_connect.begin(), config.allow_connect.end(), [&](const auto& glob) { return glob.matches(text); });
}

std::string proxy_exposure_warning(const EngineConfig& config) {
    if (!config.proxy_listen || config.proxy_auth || is_loopback_literal(config.proxy_listen->host)) return {};
    return "  WARNING         the explicit proxy listens on " + config.proxy_listen->str() +
           " without --proxy-auth: anyone who reaches it can tunnel through this machine "
           "(add --proxy-auth USER:PASS, and --allow-connect to limit the targets)";
}

constexpr NameTable<UpstreamMode, 3> upstream_mode_names{{
    {UpstreamMode::automatic, "auto"},
    {UpstreamMode::origin, "origin"},
    {UpstreamMode::forward, "forward"},
}};

std::string_view to_string(UpstreamMode mode) { return name_of(upstream_mode_names, mode, "auto"); }

std::optional<UpstreamMode> parse_upstream_mode(std::string_view text) { return value_of(upstream_mode_names, text); }

}  // namespace tlsfault::proxy
