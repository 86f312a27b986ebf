// The faults a mirrored chain can be given on top of the customer's certificate: each one a
// named switch (`expired`, `wrong_host=NAME`, ...), set from the command line or a scenario.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tlsfault::certgen {

/// What to change in the mirrored chain; all off by default (a faithful copy).
struct MirrorMutations {
    bool expired = false;                         ///< leaf: notAfter yesterday, notBefore one original span earlier
    bool not_yet_valid = false;                   ///< leaf: notBefore tomorrow, notAfter one original span later
    std::optional<std::string> wrong_host;        ///< leaf: SANs become this one name, CN too (if present)
    bool drop_intermediate = false;               ///< serve the leaf without the intermediates
    bool self_signed = false;                     ///< leaf signed by its own key, issuer = subject, served alone
    bool revoked = false;                         ///< leaf serial listed as revoked on its issuer's lab CRL and OCSP
    bool sha1 = false;                            ///< leaf signed with SHA-1
    bool rsa_1024 = false;                        ///< leaf key RSA 1024 bits
    bool remove_san = false;                      ///< leaf without subjectAltName: names in the CN only
    std::optional<std::vector<std::string>> eku;  ///< leaf extendedKeyUsage replaced (OpenSSL names)
    bool untrusted_root = false;                  ///< the top CA is a rogue copy: same name, a key clients do not trust

    bool any() const;
};

/// The mutation names, as the CLI and YAML spell them.
std::span<const std::string_view> mirror_mutation_names();

/// Sets mutation `name` ("expired", "wrong_host", "eku", ...) from its text `value` (CLI
/// `--mutate NAME[=VALUE]`: a switch takes no value or true/false; wrong_host a DNS name or IP;
/// eku a comma-separated list). Throws CertgenError with a did-you-mean for unknown names.
void set_mutation(MirrorMutations& mutations, std::string_view name, std::optional<std::string_view> value);

/// The extended key usage names `eku` accepts: serverAuth, clientAuth, codeSigning, emailProtection,
/// timeStamping, OCSPSigning, anyExtendedKeyUsage.
std::span<const std::string_view> eku_names();

/// Throws CertgenError when two mutations contradict each other (expired + not_yet_valid, ...).
void check_mutations(const MirrorMutations& mutations);

/// "expired, wrong_host=evil.example" (empty: none), for logs and the inspect advice.
std::string describe(const MirrorMutations& mutations);

}  // namespace tlsfault::certgen
