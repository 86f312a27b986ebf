// Writes a mirrored chain as files, with the same per-certificate layout as the catalogue export.
#pragma once

#include "certgen/mirror/chain_mirror.hpp"
#include "certgen/pem_io.hpp"
#include "certgen/revocation_registry.hpp"

#include <filesystem>
#include <string>

namespace tlsfault::certgen {

/// Writes into `dir`: cert.pem, key.pem, chain.pem, fullchain.pem, cert.der, bundle.p12 (as the
/// catalogue export), root.pem (the lab copy of the customer's root: trust this), ca/<name>.pem
/// for every lab CA copy and crl/<name>.crl (DER) + crl/<name>.crl.pem, listing revoked leaves.
/// Returns the number of files written.
std::size_t export_mirror(const std::filesystem::path& dir, const MirroredChain& chain, const RevocationRegistry& revocations,
                          const std::string& p12_password, Pkcs12Encryption p12_encryption = Pkcs12Encryption::modern);

}  // namespace tlsfault::certgen
