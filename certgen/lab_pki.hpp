// The whole lab PKI wired together: CAs, pooled leaf keys, revocations and the minter.
// `tlsfault run`, `tlsfault certgen` and tests open it the same way.
#pragma once

#include "certgen/ca_store.hpp"
#include "certgen/key_pool.hpp"
#include "certgen/leaf_minter.hpp"
#include "certgen/revocation_registry.hpp"

#include <filesystem>
#include <memory>

namespace tlsfault::certgen {

class LabPki {
public:
    /// Opens (creating what is missing) the CAs in `state_dir/ca` and leaf keys in `state_dir/keys`.
    /// A non-empty `ca_state_dir` takes the CAs from `ca_state_dir/ca` instead (a repro bundle
    /// written with its CA keys, replayed with the same CA).
    explicit LabPki(const std::filesystem::path& state_dir, MintOptions options = {}, const std::filesystem::path& ca_state_dir = {});
    /// Everything in memory (tests, benchmarks).
    static std::unique_ptr<LabPki> in_memory(MintOptions options = {});

    LabPki(const LabPki&) = delete;
    LabPki& operator=(const LabPki&) = delete;

    const CaStore& cas() const { return cas_; }
    KeyPool& keys() { return keys_; }
    RevocationRegistry& revocations() { return revocations_; }
    const LeafMinter& minter() const { return minter_; }
    /// Replaces the minting options (e.g. the revocation URL once its listener is bound).
    /// Start-up only: not safe while other threads mint.
    void set_mint_options(MintOptions options) { minter_.set_options(std::move(options)); }

private:
    LabPki(CaStore cas, std::filesystem::path key_dir, MintOptions options);
    CaStore cas_;
    KeyPool keys_;
    RevocationRegistry revocations_;
    LeafMinter minter_;
};

}  // namespace tlsfault::certgen
