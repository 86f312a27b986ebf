// See linked_fetches.hpp.
#include "proxy/core/linked_fetches.hpp"

#include <algorithm>

namespace tlsfault::proxy {

void LinkedFetches::note(std::uint64_t conn, Kind kind) {
    if (conn == 0) return;
    std::lock_guard lock(mutex_);
    auto it = std::find_if(seen_.begin(), seen_.end(), [conn](const auto& e) { return e.first == conn; });
    if (it == seen_.end()) {
        if (seen_.size() >= max_connections) seen_.pop_front();
        seen_.emplace_back(conn, Seen{});
        it = std::prev(seen_.end());
    }
    (kind == Kind::revocation ? it->second.revocation : it->second.aia) = true;
}

LinkedFetches::Seen LinkedFetches::of(std::uint64_t conn) const {
    std::lock_guard lock(mutex_);
    for (auto it = seen_.rbegin(); it != seen_.rend(); ++it)
        if (it->first == conn) return it->second;
    return {};
}

}  // namespace tlsfault::proxy
