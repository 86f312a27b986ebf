// The addresses tlsfault's own listeners are bound to, so that the explicit proxy never tunnels
// into tlsfault itself (a CONNECT to its own port, nested again and again, costs two descriptors
// per level). Filled as each listener binds, before any connection; read-only afterwards.
#pragma once

#include "proxy/core/engine_config.hpp"
#include "proxy/core/net.hpp"

#include <optional>
#include <vector>

namespace tlsfault::proxy {

class OwnListeners {
public:
    void add(ListenerKind kind, const HostPort& bound);

    /// A resolved address and port that reaches one of the listeners: the bound address itself,
    /// or for a listener on 0.0.0.0/[::], a loopback or unspecified address.
    bool reached_by(const net::ip::address& address, std::uint16_t port) const;

    /// A target as a client names it (before resolution): an IP literal for which reached_by
    /// holds, or "localhost".
    bool named_by(const HostPort& target) const;

    /// named_by, for the listener of `kind` only (the lab's revocation server, reached through
    /// the explicit proxy by a client that sends all HTTP there).
    bool named_by(const HostPort& target, ListenerKind kind) const;

private:
    struct Bound {
        ListenerKind kind;
        net::ip::address address;
        std::uint16_t port;
    };
    bool reached_by(const net::ip::address& address, std::uint16_t port, std::optional<ListenerKind> kind) const;
    bool named_by(const HostPort& target, std::optional<ListenerKind> kind) const;
    std::vector<Bound> bound_;
};

}  // namespace tlsfault::proxy
