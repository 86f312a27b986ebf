// `certificate` and `chain`: which leaf the client is shown, and what is sent with it.
#pragma once

#include "certgen/cert_profile.hpp"
#include "scenarios/model/mirror_action.hpp"
#include "scenarios/model/yaml_reader.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tlsfault::scenarios {

/// The leaf to mint for the connection's host: a certgen profile, named or built inline.
struct CertificateAction {
    /// The complete profile to mint. For an inline profile its `name` is
    /// "<scenario>/rules[i]" so that a leaf cache keyed by profile name never mixes two.
    certgen::CertProfile profile;
    std::string base_profile;  ///< the catalogue profile it starts from ("good" by default)
    bool is_inline = false;    ///< fields were overridden in the scenario
    /// Set for `certificate: {mirror: FILE}`: the engine serves this customer chain, re-minted
    /// with lab keys when the scenario is put in force, instead of minting `profile` per host.
    std::optional<MirrorAction> mirror;
};

/// One extra certificate in a chain: a lab CA by name, or a PEM file.
struct ChainCertificate {
    enum class Source { lab_root, lab_intermediate, rogue_root, file };
    Source source = Source::file;
    std::filesystem::path file;  ///< absolute, for Source::file
    /// For Source::file: the file's first certificate, parsed when the scenario loaded (never
    /// null then), shared by every copy of the scenario. Connections up-ref it.
    std::shared_ptr<X509> certificate;
};

/// The PEM certificate file named at `node` (relative to the scenario file), read and parsed
/// now; a missing, oversized or unparsable file is recorded at `node`.
std::optional<ChainCertificate> read_certificate_file(const YAML::Node& node, const std::string& path, Diagnostics& diag);

/// What follows the leaf in the Certificate message.
struct ChainAction {
    enum class Kind {
        full,       ///< leaf, then every CA up to (not including) a trusted root
        leaf_only,  ///< the leaf alone (the missing-intermediate misconfiguration)
        reversed,   ///< the full chain in reverse order: CAs first, the leaf last (a broken server)
        extra,      ///< the full chain, then `certificates` (unrelated or duplicate CAs)
        custom,     ///< the leaf, then exactly `certificates`
    };
    Kind kind = Kind::full;
    std::vector<ChainCertificate> certificates;
    /// `intermediate_status`: the revocation status of the intermediate that issues the leaf
    /// (folded into the rule's certificate profile by apply_intermediate_status).
    certgen::IntermediateStatus intermediate_status = certgen::IntermediateStatus::good;
};

/// `certificate: NAME`, `certificate: {profile: NAME, <any CertProfile field>: ...}` or
/// `certificate: {mirror: FILE, keep_urls: BOOL, mutate: {...}}`.
/// `inline_name` becomes the profile name when fields are overridden.
std::optional<CertificateAction> parse_certificate_action(const YAML::Node& node, const std::string& path, Diagnostics& diag,
                                                          const std::string& inline_name);

/// `chain: full|leaf-only|reversed`, `chain: {extra: [...]}` or `chain: {custom: [...]}`;
/// list entries are lab-root, lab-intermediate, rogue-root or a PEM file path.
std::optional<ChainAction> parse_chain_action(const YAML::Node& node, const std::string& path, Diagnostics& diag);

std::string_view to_string(ChainAction::Kind kind);

/// Makes the rule's leaf come from the intermediate `chain.intermediate_status` names: sets it
/// in `certificate`'s profile (made from the "good" profile when the rule has none; renamed
/// `inline_name`, so its leaves are cached apart). An error at `chain_path`.intermediate_status
/// when the leaf is not issued by the lab intermediate (another issuer, a mirrored chain) or
/// the chain is `custom`.
void apply_intermediate_status(const ChainAction& chain, std::optional<CertificateAction>& certificate, const YAML::Node& chain_node,
                               const std::string& chain_path, Diagnostics& diag, const std::string& inline_name);

}  // namespace tlsfault::scenarios
