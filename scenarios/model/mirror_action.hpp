// `certificate: {mirror: FILE, keep_urls: false, mutate: {...}}`: a customer's chain, read when
// the scenario loads, to be re-minted with lab keys (see certgen/mirror/chain_mirror.hpp).
#pragma once

#include "certgen/mirror/mirror_mutations.hpp"
#include "certgen/openssl_ptr.hpp"
#include "scenarios/model/yaml_reader.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tlsfault::scenarios {

/// A customer chain to mirror, already parsed and ordered leaf first.
struct MirrorAction {
    std::filesystem::path file;  ///< absolute (resolved against the scenario file's directory)
    std::string location;        ///< "file:line:col: rules[i].certificate.mirror", prefixed to minting errors
    /// The customer's certificates; shared so that copies of a Scenario do not copy them.
    std::shared_ptr<const std::vector<certgen::X509Ptr>> source;
    bool keep_urls = false;
    certgen::MirrorMutations mutate;
};

/// Parses the mapping form with `mirror:`; reads and orders the chain file now, so a bad file
/// is a load error at the `mirror` key.
std::optional<MirrorAction> parse_mirror_action(const MapReader& m);

/// The keys of the mirror form.
inline constexpr std::string_view mirror_keys[] = {"mirror", "keep_urls", "mutate"};

}  // namespace tlsfault::scenarios
