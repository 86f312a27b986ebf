// A listener on a wildcard address is reached through any address of the machine; only the
// loopback and unspecified ones are recognised here (a name that resolves to another local
// interface address is not), which covers the nesting a client can do through tlsfault itself.
#include "proxy/core/own_listeners.hpp"

#include <boost/beast/core/string.hpp>

namespace tlsfault::proxy {

void OwnListeners::add(ListenerKind kind, const HostPort& bound) {
    error_code ec;
    auto address = net::ip::make_address(bound.host, ec);
    if (!ec) bound_.push_back({kind, address, bound.port});
}

bool OwnListeners::reached_by(const net::ip::address& address, std::uint16_t port) const { return reached_by(address, port, std::nullopt); }

bool OwnListeners::named_by(const HostPort& target) const { return named_by(target, std::nullopt); }

bool OwnListeners::named_by(const HostPort& target, ListenerKind kind) const { return named_by(target, std::optional(kind)); }

bool OwnListeners::reached_by(const net::ip::address& address, std::uint16_t port, std::optional<ListenerKind> kind) const {
    for (const auto& own : bound_) {
        if (own.port != port || (kind && own.kind != *kind)) continue;
        if (own.address == address) return true;
        if (own.address.is_unspecified() && (address.is_loopback() || address.is_unspecified())) return true;
    }
    return false;
}

bool OwnListeners::named_by(const HostPort& target, std::optional<ListenerKind> kind) const {
    std::string_view host = target.host;
    if (!host.empty() && host.back() == '.') host.remove_suffix(1);
    if (beast::iequals(host, "localhost"))
        return reached_by(net::ip::make_address_v4("127.0.0.1"), target.port, kind) ||
               reached_by(net::ip::address_v6::loopback(), target.port, kind);
    error_code ec;
    auto address = net::ip::make_address(target.host, ec);
    return !ec && reached_by(address, target.port, kind);
}

}  // namespace tlsfault::proxy
