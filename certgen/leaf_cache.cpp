#include "certgen/leaf_cache.hpp"

namespace tlsfault::certgen {

LeafCache::LeafCache(const LeafMinter& minter, std::size_t capacity) : minter_(minter), capacity_(capacity ? capacity : 1) {}

std::shared_ptr<const IssuedCertificate> LeafCache::get(const CertProfile& profile, std::string_view host) {
    std::string key = profile.name;
    key += '\n';
    key += host;
    {
        std::lock_guard lock(mutex_);
        if (auto it = index_.find(key); it != index_.end()) {
            lru_.splice(lru_.begin(), lru_, it->second);
            ++hits_;
            return it->second->second;
        }
        ++misses_;
    }
    // Sign outside the lock: other hosts must not wait for this one. Two threads missing the
    // same key at once both sign; the second insert just refreshes the entry.
    auto issued = minter_.mint(profile, host);
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) {
        lru_.splice(lru_.begin(), lru_, it->second);
        return it->second->second;
    }
    lru_.emplace_front(key, issued);
    index_[key] = lru_.begin();
    while (lru_.size() > capacity_) {
        index_.erase(lru_.back().first);
        lru_.pop_back();
    }
    return issued;
}

std::size_t LeafCache::size() const {
    std::lock_guard lock(mutex_);
    return lru_.size();
}

std::size_t LeafCache::hits() const {
    std::lock_guard lock(mutex_);
    return hits_;
}

std::size_t LeafCache::misses() const {
    std::lock_guard lock(mutex_);
    return misses_;
}

}  // namespace tlsfault::certgen
