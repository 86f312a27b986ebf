// getsockopt(SO_ORIGINAL_DST) for IPv4 and IP6T_SO_ORIGINAL_DST for IPv6 (netfilter conntrack).
#include "proxy/listeners/original_destination.hpp"

#include <linux/netfilter_ipv4.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

namespace tlsfault::proxy {

namespace {
constexpr int ip6t_so_original_dst = 80;  // <linux/netfilter_ipv6/ip6_tables.h>, which drags in much more
}

std::optional<tcp::endpoint> original_destination(tcp::socket& socket, const tcp::endpoint& local) {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    int level = local.address().is_v6() ? SOL_IPV6 : SOL_IP;
    int option = local.address().is_v6() ? ip6t_so_original_dst : SO_ORIGINAL_DST;
    if (getsockopt(socket.native_handle(), level, option, &storage, &length) != 0) return std::nullopt;
    tcp::endpoint original;
    if (length > original.capacity()) return std::nullopt;
    std::memcpy(original.data(), &storage, length);
    original.resize(length);
    if (original == local) return std::nullopt;
    return original;
}

}  // namespace tlsfault::proxy
