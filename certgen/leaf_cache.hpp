// A bounded, thread-safe cache of minted leaves, keyed by (profile, host): a host seen before
// costs no signature at all.
#pragma once

#include "certgen/leaf_minter.hpp"

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace tlsfault::certgen {

class LeafCache {
public:
    LeafCache(const LeafMinter& minter, std::size_t capacity = 4096);

    /// The cached leaf for (profile.name, host), minted on a miss. The least recently used
    /// entry is dropped past capacity. Inline (scenario) profiles must have unique names.
    std::shared_ptr<const IssuedCertificate> get(const CertProfile& profile, std::string_view host);

    std::size_t size() const;
    std::size_t hits() const;
    std::size_t misses() const;

private:
    using Entry = std::pair<std::string, std::shared_ptr<const IssuedCertificate>>;
    const LeafMinter& minter_;
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::list<Entry> lru_;  // front = most recently used
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
    std::size_t hits_ = 0;
    std::size_t misses_ = 0;
};

}  // namespace tlsfault::certgen
