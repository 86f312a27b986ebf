#include "certgen/revocation_registry.hpp"

namespace tlsfault::certgen {

void RevocationRegistry::add(RevokedEntry entry) {
    std::lock_guard lock(mutex_);
    entries_.push_back(std::move(entry));
}

void RevocationRegistry::remove(const std::string& issuer, const std::string& serial_hex) {
    std::lock_guard lock(mutex_);
    std::erase_if(entries_, [&](const RevokedEntry& e) { return e.issuer == issuer && e.serial_hex == serial_hex; });
}

std::vector<RevokedEntry> RevocationRegistry::entries_for(const std::string& issuer) const {
    std::lock_guard lock(mutex_);
    std::vector<RevokedEntry> out;
    for (const auto& e : entries_)
        if (e.issuer == issuer) out.push_back(e);
    return out;
}

}  // namespace tlsfault::certgen
