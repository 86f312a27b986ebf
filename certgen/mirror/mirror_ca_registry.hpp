// The lab copies of customer CAs minted so far, by short name: what the revocation listener
// serves CRLs, OCSP answers and CA certificates for, beside the three lab CAs.
#pragma once

#include "certgen/certificate_authority.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace tlsfault::certgen {

class MirrorCaRegistry {
public:
    /// Adds `ca`, replacing an earlier copy of the same short name (a re-mint after a reload
    /// has the same name and key). Thread-safe.
    void add(std::shared_ptr<const CertificateAuthority> ca);
    /// The copy called `short_name`, or null. Thread-safe.
    std::shared_ptr<const CertificateAuthority> find(const std::string& short_name) const;
    /// Every copy, for the OCSP responder's issuer search. Thread-safe.
    std::vector<std::shared_ptr<const CertificateAuthority>> all() const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const CertificateAuthority>> cas_;
};

}  // namespace tlsfault::certgen
