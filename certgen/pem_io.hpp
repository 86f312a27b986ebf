// Reading and writing PEM/DER/PKCS#12, in memory or to files written atomically.
#pragma once

#include "certgen/openssl_ptr.hpp"

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace tlsfault::certgen {

std::string to_pem(const X509* cert);
std::string to_pem(const X509_CRL* crl);
std::string to_der(const X509* cert);
std::string to_der(const X509_CRL* crl);
/// PKCS#8 PEM, unencrypted.
std::string private_key_to_pem(const EVP_PKEY* key);
/// How a PKCS#12 bundle is encrypted.
enum class Pkcs12Encryption {
    modern,  ///< AES-256-CBC (PBES2), SHA-256 MAC: Windows 10 1709+, macOS, Java 8u301+, OpenSSL 3
    legacy,  ///< 3DES (pbeWithSHA1And3-KeyTripleDES-CBC) for key and certificates, SHA-1 MAC:
             ///< Windows Server 2012/2008 R2, .NET Framework, mono (no RC2: OpenSSL 3 keeps it in the legacy provider)
};

/// A PKCS#12 bundle of key (nullptr: certificates only), cert and chain, encrypted with `password`.
std::string to_pkcs12(const EVP_PKEY* key, const X509* cert, std::span<const X509Ptr> chain, const std::string& password,
                      const std::string& friendly_name, Pkcs12Encryption encryption = Pkcs12Encryption::modern);

/// Parses the first PEM certificate in `pem`; throws CertgenError mentioning `origin`.
X509Ptr cert_from_pem(std::string_view pem, const std::string& origin);
EvpPkeyPtr private_key_from_pem(std::string_view pem, const std::string& origin);

/// Reads a whole file; throws CertgenError naming the path.
std::string read_file(const std::filesystem::path& path);
/// Writes `content` to `path` through a temp file in the same directory and a rename, so a
/// reader never sees half a file. `mode` applies before the rename (0600 for keys).
void write_file_atomically(const std::filesystem::path& path, std::string_view content, unsigned mode = 0644);

/// Lower-case colon-separated hex SHA-256 of the certificate's DER.
std::string sha256_fingerprint(const X509* cert);
/// Upper-case hex of the serial number.
std::string serial_hex(const X509* cert);
/// The subject or issuer as a one-line RFC 2253 string.
std::string subject_line(const X509* cert);
std::string issuer_line(const X509* cert);

}  // namespace tlsfault::certgen
