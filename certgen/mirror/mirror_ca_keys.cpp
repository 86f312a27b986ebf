#include "certgen/mirror/mirror_ca_keys.hpp"

#include "certgen/certgen_error.hpp"
#include "certgen/pem_io.hpp"

#include <openssl/evp.h>

namespace tlsfault::certgen {

MirrorCaKeys::MirrorCaKeys(std::filesystem::path dir) : dir_(std::move(dir)) {}

EvpPkeyPtr MirrorCaKeys::key(const std::string& short_name, KeyType type) {
    const std::string slot_name = short_name + "." + std::string(to_string(type));
    std::lock_guard lock(mutex_);
    if (auto it = keys_.find(slot_name); it != keys_.end()) return share(it->second.get());
    // The key type is in the file name: a customer CA re-keyed from RSA to EC gets a new lab key
    // without losing the old one.
    const std::filesystem::path path = dir_.empty() ? std::filesystem::path{} : dir_ / (slot_name + ".key");
    EvpPkeyPtr key;
    if (!path.empty() && std::filesystem::exists(path)) {
        key = private_key_from_pem(read_file(path), path.string());
        if (key_type_of(key.get()) != type)
            throw CertgenError(path.string() + ": holds a key of another type than " + std::string(to_string(type)) +
                               "; delete the file and it is generated again (clients must then trust the new lab root copy)");
    } else {
        key = generate_key(type);
        if (!path.empty()) {
            std::error_code ec;
            std::filesystem::create_directories(dir_, ec);
            write_file_atomically(path, private_key_to_pem(key.get()), 0600);
        }
    }
    EvpPkeyPtr out = share(key.get());
    keys_.emplace(slot_name, std::move(key));
    return out;
}

std::string mirror_ca_short_name(const X509_NAME* subject, bool rogue) {
    unsigned char* der = nullptr;
    int len = i2d_X509_NAME(subject, &der);
    if (len <= 0) throw_openssl_error("cannot encode a CA subject");
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    bool ok = EVP_Digest(der, static_cast<std::size_t>(len), digest, &digest_len, EVP_sha256(), nullptr) == 1;
    OPENSSL_free(der);
    if (!ok) throw_openssl_error("cannot hash a CA subject");
    static constexpr char digits[] = "0123456789abcdef";
    std::string name = "mirror-";
    for (int i = 0; i < 6; ++i) {
        name += digits[digest[i] >> 4];
        name += digits[digest[i] & 0xf];
    }
    return rogue ? name + "-rogue" : name;
}

}  // namespace tlsfault::certgen
