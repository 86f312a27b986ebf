#include "certgen/key_pool.hpp"

#include "certgen/certgen_error.hpp"
#include "certgen/leaf_shells.hpp"
#include "certgen/pem_io.hpp"
#include "certgen/private_dir.hpp"

namespace tlsfault::certgen {

KeyPool::KeyPool(std::filesystem::path dir) : dir_(std::move(dir)) {}

EVP_PKEY* KeyPool::key(KeyType type) {
    std::lock_guard lock(mutex_);
    auto& slot = keys_.at(static_cast<std::size_t>(type));
    if (slot) return slot.get();
    std::filesystem::path path = dir_.empty() ? std::filesystem::path{} : dir_ / (std::string(to_string(type)) + ".key");
    if (!path.empty() && std::filesystem::exists(path)) {
        EvpPkeyPtr loaded = private_key_from_pem(read_file(path), path.string());
        if (key_type_of(loaded.get()) != type)
            throw CertgenError(path.string() + ": holds a key of another type than " + std::string(to_string(type)) +
                               "; delete the file and it is generated again");
        slot = std::move(loaded);
        return slot.get();
    }
    slot = generate_key(type);
    if (!path.empty()) {
        create_private_directory(dir_);  // 0700 whatever the umask; the key itself is 0600
        write_file_atomically(path, private_key_to_pem(slot.get()), 0600);
    }
    return slot.get();
}

void KeyPool::warm_up(std::span<const KeyType> types) {
    for (KeyType type : types) prepare_leaf_shells(key(type));  // leaves started before the first new host
}

}  // namespace tlsfault::certgen
