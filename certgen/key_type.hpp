// Key algorithms and signature digests a lab certificate can use.
#pragma once

#include "certgen/openssl_ptr.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace tlsfault::certgen {

enum class KeyType { ec_p256, rsa_1024, rsa_2048, rsa_3072, rsa_4096, ed25519, ec_p384 };

/// How many KeyType values there are (array sizes).
inline constexpr std::size_t key_type_count = 7;

/// Signature digest used by the issuer. Ed25519 issuers ignore it (the algorithm fixes it).
enum class Digest { sha256, sha384, sha1, sha512 };

/// Names used on the command line and in YAML: "ecdsa-p256", "ecdsa-p384", "rsa-2048", "ed25519", ...
std::string_view to_string(KeyType type);
std::optional<KeyType> parse_key_type(std::string_view name);
std::span<const KeyType> all_key_types();

/// "sha256", "sha384", "sha512", "sha1".
std::string_view to_string(Digest digest);
std::optional<Digest> parse_digest(std::string_view name);
/// The EVP_MD to pass to X509_sign for `digest` with a signing key of `signer_type`
/// (nullptr for Ed25519, which signs without a separate digest).
const EVP_MD* signing_md(Digest digest, KeyType signer_type);

/// A fresh key of `type` (RSA generation takes from milliseconds to seconds: cache it).
EvpPkeyPtr generate_key(KeyType type);
/// The KeyType of an existing key, if it is one we make.
std::optional<KeyType> key_type_of(const EVP_PKEY* key);

}  // namespace tlsfault::certgen
