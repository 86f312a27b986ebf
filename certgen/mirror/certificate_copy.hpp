// Copies one customer certificate onto lab keys: the customer's DER is the starting point, so
// names, policies, key usage, basic constraints and every other extension stay as they were;
// only the key, the signature, SKI/AKI, the revocation URLs and what a mutation asks change.
#pragma once

#include "certgen/openssl_ptr.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tlsfault::certgen {

/// Where the copy's CDP/AIA URLs point: `base` + /crl/<issuer>.crl, /ocsp/<issuer>, /ca/<issuer>.der.
struct LabUrls {
    std::string base;    ///< the revocation listener, e.g. http://127.0.0.1:8082
    std::string issuer;  ///< short name of the lab CA that signs the copy
};

/// Everything that decides one copy.
struct CopyPlan {
    const X509* source = nullptr;       ///< the customer's certificate
    EVP_PKEY* subject_key = nullptr;    ///< the lab key the copy certifies
    const X509* issuer_cert = nullptr;  ///< lab copy of the issuer; null: the copy signs itself
    EVP_PKEY* issuer_key = nullptr;
    const EVP_MD* md = nullptr;   ///< null for an Ed25519 signer
    std::optional<LabUrls> urls;  ///< nullopt: keep the customer's URLs (keep_urls)
    bool fresh_serial = false;    ///< a random serial instead of the customer's
    // Leaf mutations; CAs are copied without them.
    std::optional<std::pair<std::int64_t, std::int64_t>> validity;  ///< notBefore, notAfter (epoch seconds)
    std::optional<std::string> wrong_host;                          ///< SANs replaced by this name, CN too if there is one
    bool remove_san = false;                      ///< no subjectAltName; the CN (added from the first SAN if missing) remains
    std::optional<std::vector<std::string>> eku;  ///< extendedKeyUsage replaced by these OpenSSL names
};

/// The signed copy. Throws CertgenError.
X509Ptr copy_certificate(const CopyPlan& plan);

/// A self-signed lab root named `subject` (for a chain whose file ends below its root), with
/// basicConstraints CA, keyCertSign|cRLSign, SKI and AKI, valid from `not_before` to `not_after`.
X509Ptr make_stand_in_root(const X509_NAME* subject, EVP_PKEY* key, const EVP_MD* md, std::int64_t not_before, std::int64_t not_after);

/// The first DNS name of the subjectAltName, else the CN, else "" (what the leaf is "for").
std::string primary_name(const X509* cert);

}  // namespace tlsfault::certgen
