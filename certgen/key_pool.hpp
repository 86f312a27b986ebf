// Pre-generated leaf keys, one per key type, shared by every leaf of that type. Reusing a key
// is what makes a new host cost one signature instead of a key generation.
#pragma once

#include "certgen/key_type.hpp"

#include <array>
#include <filesystem>
#include <mutex>

namespace tlsfault::certgen {

class KeyPool {
public:
    /// Keys persisted under `<dir>/<type>.key` (0600) so that RSA keys are generated once per
    /// machine; an empty `dir` keeps them in memory only.
    explicit KeyPool(std::filesystem::path dir = {});

    /// The shared key of `type`, generated (or loaded) on first use. Thread-safe.
    EVP_PKEY* key(KeyType type);
    /// Generates or loads every type now, so that no connection pays for it later.
    void warm_up(std::span<const KeyType> types);

private:
    std::filesystem::path dir_;
    std::mutex mutex_;
    std::array<EvpPkeyPtr, key_type_count> keys_;
};

}  // namespace tlsfault::certgen
