// Builds and signs one X.509 v3 certificate from resolved fields. Shared by the CA store (lab
// CAs) and the leaf minter, so both make certificates the same way.
#pragma once

#include "certgen/cert_profile.hpp"
#include "certgen/openssl_ptr.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tlsfault::certgen {

/// Every field with placeholders expanded and times resolved.
struct CertificateFields {
    std::string common_name;  ///< empty: none
    std::string organization;
    std::vector<std::string> dns_names;
    std::vector<std::string> ip_addresses;
    std::int64_t not_before = 0;  ///< seconds since the epoch
    std::int64_t not_after = 0;
    bool is_ca = false;
    std::optional<int> path_len;
    std::uint16_t key_usage = 0;  ///< KeyUsageBit set; 0: no keyUsage extension
    std::vector<ExtendedKeyUsage> extended_key_usage;
    std::vector<std::string> crl_urls;
    std::vector<std::string> ocsp_urls;
    std::vector<std::string> ca_issuers_urls;
    bool must_staple = false;
    bool ocsp_no_check = false;  ///< id-pkix-ocsp-nocheck, for delegated OCSP responders
};

/// A certificate for `subject_key`, signed by `issuer_key` with `md` (nullptr for Ed25519).
/// `issuer_cert` null means self-signed. Kept with its encoding (with_cached_encoding): CAs are
/// built this way, few and sent in every chain. Throws CertgenError.
X509Ptr build_certificate(const CertificateFields& fields, EVP_PKEY* subject_key, const X509* issuer_cert, EVP_PKEY* issuer_key,
                          const EVP_MD* md);
/// The same, into `shell`: an X509 whose version (3) and public key are already set
/// (take_leaf_shell in leaf_shells.hpp prepares them off the traffic path).
X509Ptr build_certificate(X509Ptr shell, const CertificateFields& fields, const X509* issuer_cert, EVP_PKEY* issuer_key, const EVP_MD* md);

/// `cert` read back from its own DER. OpenSSL keeps the encoding of a certificate it parsed but
/// not of one it signed, so a TLS handshake (which encodes the leaf and the chain twice each)
/// re-encodes a signed one every time: ~140,000 instructions per handshake for a lab leaf and
/// its intermediate. Reading back costs a public-key decode through OpenSSL 3's decoders (~65 µs
/// for a P-256 leaf), so CAs (the first overload of build_certificate, copies of a customer's
/// chain) do it when built, and a lab leaf when it is used a second time (LeafCache::get).
/// Throws CertgenError.
X509Ptr with_cached_encoding(X509Ptr cert);
/// The same for a certificate the caller keeps: a new X509 parsed from its DER.
X509Ptr parsed_copy(const X509* cert);

/// Gives `cert` a random positive 16-byte serial (never short, never zero).
void set_random_serial(X509* cert);

/// True for names we can put in a certificate: DNS labels (letters, digits, '-', '_', a
/// leading "*." wildcard), at most 253 characters.
bool is_valid_dns_name(std::string_view name);
/// True for IPv4/IPv6 literals.
bool is_ip_address(std::string_view text);

}  // namespace tlsfault::certgen
