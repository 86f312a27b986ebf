// The whole lab PKI wired together: CAs, pooled leaf keys, revocations, the minter and the
// mirror of customer chains (their lab CA copies' keys live in `state_dir/mirror`).
// `tlsfault run`, `tlsfault certgen` and tests open it the same way.
#pragma once

#include "certgen/ca_store.hpp"
#include "certgen/key_pool.hpp"
#include "certgen/leaf_minter.hpp"
#include "certgen/mirror/chain_mirror.hpp"
#include "certgen/revocation_registry.hpp"

#include <filesystem>
#include <memory>

namespace tlsfault::certgen {

class LabPki {
public:
    /// Opens (creating what is missing) the CAs in `state_dir/ca`, leaf keys in `state_dir/keys`
    /// and mirrored CA keys in `state_dir/mirror`. A non-empty `ca_state_dir` takes the CAs from
    /// `ca_state_dir/ca` instead (a repro bundle written with its CA keys, replayed with the same CA).
    explicit LabPki(const std::filesystem::path& state_dir, MintOptions options = {}, const std::filesystem::path& ca_state_dir = {});
    /// Everything in memory (tests, benchmarks).
    static std::unique_ptr<LabPki> in_memory(MintOptions options = {});

    LabPki(const LabPki&) = delete;
    LabPki& operator=(const LabPki&) = delete;

    const CaStore& cas() const { return cas_; }
    KeyPool& keys() { return keys_; }
    RevocationRegistry& revocations() { return revocations_; }
    const LeafMinter& minter() const { return minter_; }
    /// Replaces the minting options (e.g. the revocation URL once its listener is bound), and
    /// re-issues the intermediates to name the root's CRL and OCSP under that URL.
    /// Start-up only: not safe while other threads mint.
    void set_mint_options(MintOptions options);
    /// Re-mints a customer chain with lab keys (URLs under the current revocation URL). With a
    /// state directory, the lab copy of its root is also written to mirrored_root_file().
    MirroredChain mirror(const MirrorRequest& request);
    /// `state_dir/mirror/<name>.root.pem`: the lab copy of the root of `source` (ordered leaf
    /// first), for clients to trust; empty for an in-memory PKI.
    std::filesystem::path mirrored_root_file(const std::vector<X509Ptr>& source) const;
    /// The lab copies of customer CAs minted so far (the revocation listener serves them too).
    const MirrorCaRegistry& mirror_cas() const { return mirror_cas_; }

private:
    /// The intermediates name `options`' URLs; the revoked stand-in is on the root's CRL.
    void point_intermediates_at(const MintOptions& options);
    LabPki(CaStore cas, std::filesystem::path key_dir, std::filesystem::path mirror_dir, MintOptions options);
    CaStore cas_;
    KeyPool keys_;
    RevocationRegistry revocations_;
    LeafMinter minter_;
    MirrorCaKeys mirror_keys_;
    MirrorCaRegistry mirror_cas_;
    ChainMirror mirror_;
};

}  // namespace tlsfault::certgen
