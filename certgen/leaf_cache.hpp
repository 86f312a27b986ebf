// A bounded, thread-safe cache of minted leaves, keyed by (profile content, host): a host seen
// before costs no signature at all.
#pragma once

#include "certgen/leaf_minter.hpp"

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace tlsfault::certgen {

/// The key of (profile, host): the profile's name and every field minting reads (names, validity,
/// key, digest, extensions, issuer, chain, revocation), length-prefixed.
std::string leaf_cache_key(const CertProfile& profile, std::string_view host);

class LeafCache {
public:
    LeafCache(const LeafMinter& minter, std::size_t capacity = 4096);

    /// The cached leaf for (profile, host), minted on a miss: the key is leaf_cache_key(), so an
    /// inline profile edited under the same name is a miss. The least recently used entry is
    /// dropped past capacity. The first hit replaces the entry with the same certificate parsed
    /// back from its DER (with_cached_encoding): a new host does not pay the parse, every
    /// handshake after the second stops re-encoding the leaf.
    std::shared_ptr<const IssuedCertificate> get(const CertProfile& profile, std::string_view host);

    std::size_t size() const;
    std::size_t hits() const;
    std::size_t misses() const;

private:
    struct Entry {
        std::string key;
        std::shared_ptr<const IssuedCertificate> cert;
        bool encoding_kept = false;  ///< cert's leaf holds its DER (parsed back): see get()
    };
    /// On a hit of an entry whose leaf does not hold its encoding yet: a copy whose leaf does,
    /// stored in the entry. Outside the lock (the parse takes ~65 µs).
    std::shared_ptr<const IssuedCertificate> keep_encoding(const std::string& key, const std::shared_ptr<const IssuedCertificate>& cert);
    const LeafMinter& minter_;
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::list<Entry> lru_;  // front = most recently used
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
    std::size_t hits_ = 0;
    std::size_t misses_ = 0;
};

}  // namespace tlsfault::certgen
