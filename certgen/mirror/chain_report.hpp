// A certificate chain as a support engineer reads it: per certificate the names, validity, key,
// signature, URLs and usages; then the faults seen, each with the lab profile and the
// `--mutate` that reproduce it. Used by `tlsfault inspect`.
#pragma once

#include "certgen/openssl_ptr.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace tlsfault::certgen {

/// One fault `inspect` names, with how to reproduce it in the lab.
struct ChainFault {
    std::string what;     ///< "the leaf expired on 2024-01-01 00:00:00 UTC"
    std::string profile;  ///< the catalogue profile showing it ("expired")
    std::string mutate;   ///< the mirror mutation giving it ("expired", "wrong_host=NAME")
};

/// The certificates as served (leaf first); `host` is the name the client asked for, if known;
/// `now` the time validity is judged at.
std::vector<ChainFault> faults_seen(std::span<const X509Ptr> chain, const std::optional<std::string>& host, std::int64_t now);

/// The whole report: one block per certificate, then one "fault:" line per fault (or
/// "faults seen: none").
std::string chain_report(std::span<const X509Ptr> chain, const std::optional<std::string>& host, std::int64_t now);

/// "RSA 2048", "EC P-256", "Ed25519".
std::string key_description(const X509* cert);
/// "sha256WithRSAEncryption"-style name of the signature algorithm.
std::string signature_description(const X509* cert);

}  // namespace tlsfault::certgen
