// The lab PKI's CAs, created on first use in a state directory and reloaded afterwards.
#pragma once

#include "certgen/cert_profile.hpp"
#include "certgen/certificate_authority.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

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
    /// The intermediate for `status`: intermediate() for good, else its stand-in
    /// (lab_intermediates.hpp), made in memory by each process.
    const CertificateAuthority& intermediate(IntermediateStatus status) const;
    /// The CA that signs leaves of `issuer` (nullptr for IssuerKind::self); `status` picks the
    /// intermediate for IssuerKind::intermediate.
    const CertificateAuthority* issuer(IssuerKind issuer, IntermediateStatus status = IntermediateStatus::good) const;
    /// Every lab CA: root, the intermediates, the rogue root (what the revocation listener serves).
    std::vector<const CertificateAuthority*> all() const;

    /// Re-issues the intermediates (same keys) so that their CDP and OCSP URL name the root's
    /// CRL and OCSP under `revocation_url` (`unreachable_url` for the unreachable stand-in).
    /// In memory only: the files in `ca/` keep the intermediate as created. Start-up only: not
    /// safe while other threads mint.
    void point_intermediates_at(const std::string& revocation_url, const std::string& unreachable_url);

    /// Empty for an in-memory store.
    const std::filesystem::path& state_dir() const { return state_dir_; }

private:
    CaStore() = default;
    std::filesystem::path state_dir_;
    CertificateAuthority root_;
    CertificateAuthority intermediate_;
    CertificateAuthority intermediate_revoked_;
    CertificateAuthority intermediate_unreachable_;
    CertificateAuthority rogue_root_;
    void make_status_intermediates();
};

}  // namespace tlsfault::certgen
