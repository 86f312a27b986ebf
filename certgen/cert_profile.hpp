// A leaf certificate profile: every field of a lab certificate, as plain data.
// The built-in catalogue (catalogue.hpp) is a list of these; scenarios build inline ones.
#pragma once

#include "certgen/key_type.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tlsfault::certgen {

/// Which lab key signs the leaf.
enum class IssuerKind {
    root,          ///< the lab root CA directly
    intermediate,  ///< the lab intermediate CA (the normal case)
    rogue,         ///< the rogue root, never meant to be trusted
    self,          ///< the leaf signs itself
};

/// The revocation status of the lab intermediate that issues a leaf (IssuerKind::intermediate):
/// each status is its own intermediate CA, so one scenario's choice never changes another's.
enum class IntermediateStatus {
    good,         ///< the lab intermediate; the root's CRL and OCSP say good
    revoked,      ///< "intermediate-revoked": listed on the root's CRL (cACompromise), OCSP says revoked
    unreachable,  ///< "intermediate-unreachable": its CDP and OCSP URL point where nothing answers
};

/// What a server presents after the leaf.
enum class ChainKind {
    full,       ///< leaf + every CA up to (not including) a trusted root; a rogue/self root is included
    leaf_only,  ///< the leaf alone: the "missing intermediate" misconfiguration
};

/// One end of the validity period: relative to the moment of minting, or an absolute time.
struct TimeBound {
    enum class Kind { relative, absolute } kind = Kind::relative;
    std::int64_t seconds = 0;  ///< offset from now (relative) or seconds since the epoch (absolute)

    static TimeBound days_from_now(std::int64_t days) { return {Kind::relative, days * 86400}; }
    static TimeBound at(std::int64_t epoch_seconds) { return {Kind::absolute, epoch_seconds}; }
    std::int64_t resolve(std::int64_t now) const { return kind == Kind::relative ? now + seconds : seconds; }
};

/// keyUsage bits we set (RFC 5280 names).
enum KeyUsageBit : std::uint16_t {
    ku_digital_signature = 1u << 0,
    ku_key_encipherment = 1u << 1,
    ku_key_agreement = 1u << 2,
    ku_key_cert_sign = 1u << 3,
    ku_crl_sign = 1u << 4,
};

enum class ExtendedKeyUsage { server_auth, client_auth, ocsp_signing };

/// Everything that makes one lab leaf what it is.
///
/// Strings in `common_name`, the SAN lists and the URL lists may hold placeholders, expanded
/// when minting: `{host}` (the host the certificate is for), `{revocation_url}` (tlsfault's
/// CRL/OCSP listener, e.g. http://127.0.0.1:8082), `{unreachable_url}` (an address where
/// nothing answers), `{issuer}` (the issuing CA's short name: root, intermediate, rogue-root).
struct CertProfile {
    std::string name;            ///< catalogue name, e.g. "expired"
    std::string summary;         ///< what is wrong with it, one line
    std::string correct_client;  ///< what a correct client says about it, one line
    /// The X509_V_ERR_* that OpenSSL's X509_verify_cert gives with only the lab root trusted,
    /// the served chain as untrusted, the host name set, and the profile's `verify_*` needs.
    int expected_verify_error = 0;
    bool verify_needs_crl = false;            ///< the expected error shows only with CRL checking
    int verify_security_level = 0;            ///< ...only at this auth security level (0: none)
    bool verify_never_check_subject = false;  ///< ...only without the CN fallback for host names
    bool verify_as_client = false;            ///< verified for the sslclient purpose, no host name

    std::string common_name = "{host}";  ///< empty: no CN in the subject
    std::string organization = "tlsfault lab";
    /// DNS names; `{host}` becomes an IP SAN instead when the host is an IP address.
    std::vector<std::string> dns_names = {"{host}"};
    std::vector<std::string> ip_addresses;

    TimeBound not_before = TimeBound::days_from_now(-2);  // backdated for clients with skewed clocks
    TimeBound not_after = TimeBound::days_from_now(90);

    KeyType key_type = KeyType::ec_p256;
    Digest digest = Digest::sha256;

    bool is_ca = false;
    std::optional<int> path_len;
    /// keyUsage; unset: digitalSignature (+ keyEncipherment for RSA), or keyCertSign|cRLSign for a CA.
    std::optional<std::uint16_t> key_usage;
    std::vector<ExtendedKeyUsage> extended_key_usage = {ExtendedKeyUsage::server_auth};

    std::vector<std::string> crl_urls = {"{revocation_url}/crl/{issuer}.crl"};
    std::vector<std::string> ocsp_urls = {"{revocation_url}/ocsp/{issuer}"};
    std::vector<std::string> ca_issuers_urls;
    bool must_staple = false;

    IssuerKind issuer = IssuerKind::intermediate;
    /// Which lab intermediate signs (only with IssuerKind::intermediate): its own revocation status.
    IntermediateStatus intermediate_status = IntermediateStatus::good;
    ChainKind chain = ChainKind::full;

    bool revoked = false;       ///< put the leaf's serial on its issuer's CRL
    int revocation_reason = 1;  ///< CRL reason code (1 = keyCompromise)
};

std::string_view to_string(IssuerKind issuer);
std::optional<IssuerKind> parse_issuer_kind(std::string_view name);
std::string_view to_string(IntermediateStatus status);
std::optional<IntermediateStatus> parse_intermediate_status(std::string_view name);
std::string_view to_string(ChainKind chain);
std::optional<ChainKind> parse_chain_kind(std::string_view name);
std::string_view to_string(ExtendedKeyUsage eku);
std::optional<ExtendedKeyUsage> parse_extended_key_usage(std::string_view name);
/// keyUsage names: "digitalSignature", "keyEncipherment", "keyAgreement", "keyCertSign", "cRLSign".
std::optional<KeyUsageBit> parse_key_usage(std::string_view name);

}  // namespace tlsfault::certgen
