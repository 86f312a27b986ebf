// The engine's listeners by kind: what `match.listener` names, what a connection records as its
// listener, and what the `listen` events and the banner print. One enum, one name table.
#pragma once

#include "common/name_table.hpp"

#include <optional>
#include <string_view>

namespace tlsfault::scenarios {

enum class ListenerKind {
    proxy,       ///< the explicit proxy (CONNECT and absolute-form HTTP)
    sni,         ///< the transparent TLS listener (hosts-file / DNS redirection), routed by SNI
    revocation,  ///< the lab's CRL, OCSP and AIA server
    api,         ///< the control API and the board
};

inline constexpr NameTable<ListenerKind, 4> listener_kind_table{{
    {ListenerKind::proxy, "proxy"},
    {ListenerKind::sni, "sni"},
    {ListenerKind::revocation, "revocation"},
    {ListenerKind::api, "api"},
}};

/// The listeners a rule's `match.listener` can name: the two that carry client traffic.
inline constexpr NameTable<ListenerKind, 2> matchable_listener_table{{
    {ListenerKind::proxy, "proxy"},
    {ListenerKind::sni, "sni"},
}};

constexpr std::string_view to_string(ListenerKind kind) { return name_of(listener_kind_table, kind, "proxy"); }

}  // namespace tlsfault::scenarios
