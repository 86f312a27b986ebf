// Reading a customer's certificate chain as they send it: a PEM bundle in any order, or a single
// DER certificate (a browser's `.cer` export may be either), ordered leaf → intermediates → top.
#pragma once

#include "certgen/key_type.hpp"
#include "certgen/openssl_ptr.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace tlsfault::certgen {

/// Every certificate in `bytes`: all PEM CERTIFICATE blocks, else one DER certificate. Throws
/// CertgenError naming `origin` when there is none or the bytes are neither.
std::vector<X509Ptr> parse_certificates(std::string_view bytes, const std::string& origin);

/// Orders `certs` by issuer/subject: the one certificate no other names as its issuer first,
/// then its issuer, and so on up to a self-signed top or the last one found. Throws
/// CertgenError when they are not one chain (two leaves, a certificate left over).
std::vector<X509Ptr> order_chain(std::vector<X509Ptr> certs, const std::string& origin);

/// parse_certificates + order_chain on the file at `path`.
std::vector<X509Ptr> read_customer_chain(const std::filesystem::path& path);

/// The key type of `cert`'s public key, if tlsfault can make one like it (RSA 1024-4096,
/// EC P-256/P-384, Ed25519). Throws CertgenError naming `origin` otherwise.
KeyType key_type_of_certificate(const X509* cert, const std::string& origin);

/// The digest `cert` was signed with (SHA-1/256/384/512; RSA-PSS counts as its digest;
/// Ed25519 as SHA-256, which the signer ignores). Throws CertgenError for others (MD5).
Digest digest_of_certificate(const X509* cert, const std::string& origin);

/// `time` as seconds since the epoch (UTC). Throws CertgenError when it cannot be read.
std::int64_t epoch_seconds(const ASN1_TIME* time);

/// True when `cert`'s subject and issuer names are the same (a root, or a self-signed leaf).
bool is_self_issued(const X509* cert);

}  // namespace tlsfault::certgen
