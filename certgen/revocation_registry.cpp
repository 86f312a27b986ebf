#include "certgen/revocation_registry.hpp"

namespace tlsfault::certgen {

void RevocationRegistry::add(RevokedEntry entry) {
    std::lock_guard lock(mutex_);
    entries_.push_back(std::move(entry));
}

std::vector<RevokedEntry> RevocationRegistry::entries_for(const std::string& issuer) const {
    std::lock_guard lock(mutex_);
    std::vector<RevokedEntry> out;
    for (const auto& e : entries_)
        if (e.issuer == issuer) out.push_back(e);
    return out;
}

}  // namespace tlsfault::certgen
