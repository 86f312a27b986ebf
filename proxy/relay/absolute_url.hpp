// Splitting an absolute-form request target ("http://host:port/path") for plain-HTTP proxying.
#pragma once

#include "proxy/core/engine_config.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace tlsfault::proxy {

struct AbsoluteUrl {
    HostPort authority;       ///< port 80 when absent
    std::string origin_form;  ///< "/path?query", "/" when empty
};

/// Parses an "http://" target; nullopt for anything else (https:// is reached through CONNECT).
std::optional<AbsoluteUrl> parse_absolute_url(std::string_view target);

}  // namespace tlsfault::proxy
