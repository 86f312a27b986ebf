#include "certgen/key_type.hpp"

#include "certgen/certgen_error.hpp"

#include "common/name_table.hpp"

#include <openssl/core_names.h>
#include <openssl/ec.h>

#include <array>
#include <utility>

namespace tlsfault::certgen {
namespace {

constexpr NameTable<KeyType, key_type_count> key_type_names{{
    {KeyType::ec_p256, "ecdsa-p256"},
    {KeyType::ec_p384, "ecdsa-p384"},
    {KeyType::rsa_1024, "rsa-1024"},
    {KeyType::rsa_2048, "rsa-2048"},
    {KeyType::rsa_3072, "rsa-3072"},
    {KeyType::rsa_4096, "rsa-4096"},
    {KeyType::ed25519, "ed25519"},
}};
constexpr std::array<KeyType, key_type_count> key_types{KeyType::ec_p256,  KeyType::ec_p384,  KeyType::rsa_1024, KeyType::rsa_2048,
                                                        KeyType::rsa_3072, KeyType::rsa_4096, KeyType::ed25519};
constexpr NameTable<Digest, 4> digest_names{{
    {Digest::sha256, "sha256"},
    {Digest::sha384, "sha384"},
    {Digest::sha512, "sha512"},
    {Digest::sha1, "sha1"},
}};

unsigned rsa_bits(KeyType type) {
    switch (type) {
    case KeyType::rsa_1024: return 1024;
    case KeyType::rsa_2048: return 2048;
    case KeyType::rsa_3072: return 3072;
    case KeyType::rsa_4096: return 4096;
    default: return 0;
    }
}

}  // namespace

std::string_view to_string(KeyType type) { return name_of(key_type_names, type); }
std::optional<KeyType> parse_key_type(std::string_view name) { return value_of(key_type_names, name); }

std::span<const KeyType> all_key_types() { return key_types; }

std::string_view to_string(Digest digest) { return name_of(digest_names, digest); }
std::optional<Digest> parse_digest(std::string_view name) { return value_of(digest_names, name); }

const EVP_MD* signing_md(Digest digest, KeyType signer_type) {
    if (signer_type == KeyType::ed25519) return nullptr;
    switch (digest) {
    case Digest::sha384: return EVP_sha384();
    case Digest::sha512: return EVP_sha512();
    case Digest::sha1: return EVP_sha1();
    case Digest::sha256: break;
    }
    return EVP_sha256();
}

EvpPkeyPtr generate_key(KeyType type) {
    EVP_PKEY* key = nullptr;
    switch (type) {
    case KeyType::ec_p256: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"); break;
    case KeyType::ec_p384: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"); break;
    case KeyType::ed25519: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"); break;
    default: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(rsa_bits(type))); break;
    }
    if (!key) throw_openssl_error("cannot generate a " + std::string(to_string(type)) + " key");
    return EvpPkeyPtr(key);
}

std::optional<KeyType> key_type_of(const EVP_PKEY* key) {
    if (EVP_PKEY_is_a(key, "ED25519")) return KeyType::ed25519;
    if (EVP_PKEY_is_a(key, "EC")) {
        char group[64] = {};
        size_t len = 0;
        if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len)) return std::nullopt;
        if (std::string_view(group) == "prime256v1") return KeyType::ec_p256;
        if (std::string_view(group) == "secp384r1") return KeyType::ec_p384;
        return std::nullopt;
    }
    if (EVP_PKEY_is_a(key, "RSA")) {
        switch (EVP_PKEY_get_bits(key)) {
        case 1024: return KeyType::rsa_1024;
        case 2048: return KeyType::rsa_2048;
        case 3072: return KeyType::rsa_3072;
        case 4096: return KeyType::rsa_4096;
        default: return std::nullopt;
        }
    }
    return std::nullopt;
}

}  // namespace tlsfault::certgen
