// Mints a leaf for a profile and host: one signature, with a pre-generated key.
#pragma once

#include "certgen/ca_store.hpp"
#include "certgen/cert_profile.hpp"
#include "certgen/issued_certificate.hpp"
#include "certgen/key_pool.hpp"
#include "certgen/revocation_registry.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace tlsfault::certgen {

struct MintOptions {
    /// Base URL of tlsfault's CRL/OCSP listener, written into CDP and AIA extensions.
    std::string revocation_url = "http://127.0.0.1:8082";
    /// A URL where nothing answers (port 9, discard, is closed on a normal machine).
    std::string unreachable_url = "http://127.0.0.1:9";
};

class LeafMinter {
public:
    LeafMinter(const CaStore& cas, KeyPool& keys, RevocationRegistry& revocations, MintOptions options = {});

    /// A new leaf of `profile` for `host` (DNS name or IP literal). Throws CertgenError when the
    /// profile cannot be realised (e.g. an Ed25519 issuer asked for SHA-1).
    std::shared_ptr<const IssuedCertificate> mint(const CertProfile& profile, std::string_view host) const;

    const MintOptions& options() const { return options_; }
    /// Start-up only (see LabPki::set_mint_options).
    void set_options(MintOptions options) { options_ = std::move(options); }
    const CaStore& cas() const { return cas_; }

private:
    const CaStore& cas_;
    KeyPool& keys_;
    RevocationRegistry& revocations_;
    MintOptions options_;
};

/// Expands the placeholders of a profile string (see CertProfile).
std::string expand_placeholders(std::string_view text, std::string_view host, std::string_view issuer, const MintOptions& options);

}  // namespace tlsfault::certgen
