// Parsing helpers for the engine's settings.
#include "proxy/engine_config.hpp"

#include <charconv>

namespace tlsfault::proxy {

std::string HostPort::str() const {
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return h + ":" + std::to_string(port);
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
    if (out.host.empty() || port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() ||
        port > 65535)
        return std::nullopt;
    out.port = static_cast<std::uint16_t>(port);
    return out;
}

std::string_view to_string(UpstreamMode mode) {
    switch (mode) {
    case UpstreamMode::automatic: return "auto";
    case UpstreamMode::origin: return "origin";
    case UpstreamMode::forward: return "forward";
    }
    return "auto";
}

std::optional<UpstreamMode> parse_upstream_mode(std::string_view text) {
    if (text == "auto") return UpstreamMode::automatic;
    if (text == "origin") return UpstreamMode::origin;
    if (text == "forward") return UpstreamMode::forward;
    return std::nullopt;
}

}  // namespace tlsfault::proxy
