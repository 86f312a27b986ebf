// The lab PKI's CAs, created on first use in a state directory and reloaded afterwards.
#pragma once

#include "certgen/cert_profile.hpp"
#include "certgen/certificate_authority.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace tlsfault::certgen {

/// The default state directory: $XDG_DATA_HOME/tlsfault, else ~/.local/share/tlsfault;
/// nullopt when both are unset (there is no shared fallback: --state-dir is then required).
std::optional<std::filesystem::path> default_state_dir();

/// default_state_dir() for help texts, or what to do when there is none.
std::string default_state_dir_text();

/// The lab root, the lab intermediate (signed by the root) and the rogue root.
///
/// The state directory and `ca/` are created mode 0700 whatever the umask, and refused (CertgenError)
/// when group- or other-writable or owned by another user.
/// Files (PEM, keys mode 0600) under `<state-dir>/ca/`: root.pem root.key intermediate.pem
/// intermediate.key rogue-root.pem rogue-root.key. Missing CA files are created (each written to
/// a temp file, then renamed); present ones are checked (parses, key matches certificate,
/// intermediate signed by root) and a problem throws CertgenError naming the file and the fix.
class CaStore {
public:
    /// Opens, creating what is missing, the CAs under `state_dir`.
    static CaStore open(const std::filesystem::path& state_dir);
    /// Fresh CAs held in memory only (tests, benchmarks).
    static CaStore in_memory();

    const CertificateAuthority& root() const { return root_; }
    const CertificateAuthority& intermediate() const { return intermediate_; }
    const CertificateAuthority& rogue_root() const { return rogue_root_; }
    /// The CA that signs leaves of `issuer` (nullptr for IssuerKind::self).
    const CertificateAuthority* issuer(IssuerKind issuer) const;

    /// Empty for an in-memory store.
    const std::filesystem::path& state_dir() const { return state_dir_; }

private:
    CaStore() = default;
    std::filesystem::path state_dir_;
    CertificateAuthority root_;
    CertificateAuthority intermediate_;
    CertificateAuthority rogue_root_;
};

}  // namespace tlsfault::certgen
