// The cache key is the profile's whole minting content, not only its name: an inline profile
// keeps its name ("<scenario>/rules[i]") when a reloaded scenario edits it, and must then be
// minted afresh. Fields are length-prefixed so that no two profiles share a key.
#include "certgen/leaf_cache.hpp"

#include "certgen/certgen_error.hpp"
#include "certgen/certificate_builder.hpp"

#include <charconv>

namespace tlsfault::certgen {
namespace {

/// `number` in decimal, written in `buffer`: no temporary string (a key is built per connection).
std::string_view decimal(std::int64_t number, char (&buffer)[24]) {
    return {buffer, static_cast<std::size_t>(std::to_chars(buffer, buffer + sizeof buffer, number).ptr - buffer)};
}

void put(std::string& key, std::string_view text) {
    char buffer[24];
    key += decimal(static_cast<std::int64_t>(text.size()), buffer);
    key += ':';
    key += text;
}

void put(std::string& key, std::int64_t number) {
    char buffer[24];
    put(key, decimal(number, buffer));
}

void put(std::string& key, const std::vector<std::string>& list) {
    put(key, static_cast<std::int64_t>(list.size()));
    for (const auto& item : list) put(key, item);
}

void put(std::string& key, const TimeBound& bound) {
    put(key, bound.kind == TimeBound::Kind::relative ? "r" : "a");
    put(key, bound.seconds);
}

/// `cert` with its leaf parsed back from its DER (the same bytes; see with_cached_encoding).
std::shared_ptr<const IssuedCertificate> with_parsed_leaf(const IssuedCertificate& cert) {
    auto copy = std::make_shared<IssuedCertificate>();
    copy->profile = cert.profile;
    copy->host = cert.host;
    copy->issuer = cert.issuer;
    copy->leaf = parsed_copy(cert.leaf.get());
    copy->key = share(cert.key.get());
    for (const auto& extra : cert.chain) copy->chain.push_back(share(extra.get()));
    copy->serial_hex = cert.serial_hex;
    copy->sha256_fingerprint = cert.sha256_fingerprint;
    copy->subject_text = cert.subject_text;
    copy->issuer_text = cert.issuer_text;
    copy->fields = cert.fields;
    return copy;
}

}  // namespace

std::string leaf_cache_key(const CertProfile& p, std::string_view host) {
    std::string key;
    key.reserve(256);
    put(key, p.name);
    put(key, host);
    put(key, p.common_name);
    put(key, p.organization);
    put(key, p.dns_names);
    put(key, p.ip_addresses);
    put(key, p.not_before);
    put(key, p.not_after);
    put(key, static_cast<std::int64_t>(p.key_type));
    put(key, static_cast<std::int64_t>(p.digest));
    put(key, p.is_ca ? 1 : 0);
    put(key, p.path_len ? *p.path_len : -1);
    put(key, p.key_usage ? static_cast<std::int64_t>(*p.key_usage) : -1);
    put(key, static_cast<std::int64_t>(p.extended_key_usage.size()));
    for (auto eku : p.extended_key_usage) put(key, static_cast<std::int64_t>(eku));
    put(key, p.crl_urls);
    put(key, p.ocsp_urls);
    put(key, p.ca_issuers_urls);
    put(key, p.must_staple ? 1 : 0);
    put(key, static_cast<std::int64_t>(p.issuer));
    put(key, static_cast<std::int64_t>(p.chain));
    put(key, p.revoked ? 1 : 0);
    put(key, p.revocation_reason);
    return key;
}

LeafCache::LeafCache(const LeafMinter& minter, std::size_t capacity) : minter_(minter), capacity_(capacity ? capacity : 1) {}

std::shared_ptr<const IssuedCertificate> LeafCache::get(const CertProfile& profile, std::string_view host) {
    std::string key = leaf_cache_key(profile, host);
    std::shared_ptr<const IssuedCertificate> hit;
    {
        std::lock_guard lock(mutex_);
        if (auto it = index_.find(key); it != index_.end()) {
            lru_.splice(lru_.begin(), lru_, it->second);
            ++hits_;
            if (it->second->encoding_kept) return it->second->cert;
            hit = it->second->cert;
        } else {
            ++misses_;
        }
    }
    if (hit) return keep_encoding(key, hit);
    // Sign outside the lock: other hosts must not wait for this one. Two threads missing the
    // same key at once both sign; the second insert just refreshes the entry.
    auto issued = minter_.mint(profile, host);
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) {
        lru_.splice(lru_.begin(), lru_, it->second);
        return it->second->cert;
    }
    lru_.push_front({key, issued});
    index_[key] = lru_.begin();
    while (lru_.size() > capacity_) {
        index_.erase(lru_.back().key);
        lru_.pop_back();
    }
    return issued;
}

std::shared_ptr<const IssuedCertificate> LeafCache::keep_encoding(const std::string& key,
                                                                  const std::shared_ptr<const IssuedCertificate>& cert) {
    std::shared_ptr<const IssuedCertificate> kept;
    try {
        kept = with_parsed_leaf(*cert);
    } catch (const CertgenError&) {
        return cert;  // the signed leaf serves as well, only re-encoded per handshake
    }
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end() || it->second->cert != cert) return kept;  // evicted or replaced meanwhile
    it->second->cert = kept;
    it->second->encoding_kept = true;
    return kept;
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
