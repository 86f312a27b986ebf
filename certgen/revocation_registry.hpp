// Which minted serials are revoked, per issuing CA: the content of the lab CRLs.
#pragma once

#include <cstdint>
#include <ctime>
#include <mutex>
#include <string>
#include <vector>

namespace tlsfault::certgen {

struct RevokedEntry {
    std::string issuer;      ///< CA short name: "root", "intermediate", "rogue-root"
    std::string serial_hex;  ///< upper-case hex, as `openssl x509 -serial` prints it
    std::int64_t revoked_at = 0;
    int reason = 1;  ///< CRL reason code (RFC 5280 5.3.1)
};

/// Thread-safe list of revoked serials, filled by the minter for profiles with `revoked: true`.
class RevocationRegistry {
public:
    void add(RevokedEntry entry);
    /// Takes serial `serial_hex` of CA `issuer` off the list (a re-issued lab intermediate).
    void remove(const std::string& issuer, const std::string& serial_hex);
    /// Revoked entries issued by CA `issuer`.
    std::vector<RevokedEntry> entries_for(const std::string& issuer) const;

private:
    mutable std::mutex mutex_;
    std::vector<RevokedEntry> entries_;
};

}  // namespace tlsfault::certgen
