// Fault kinds by name. Built explicitly by register_builtin_faults(): static self-registration
// would be dropped by the linker from a static library.
#pragma once

#include "scenarios/model/faults/fault_spec.hpp"

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace tlsfault::scenarios {

/// One fault kind: how it is named, documented and parsed.
struct FaultKind {
    std::string_view name;
    FaultLayer layer = FaultLayer::tcp;
    std::string_view summary;  ///< one line, for docs and `explain`
    std::span<const FaultAttribute> attributes;
    /// Reads the kind's attributes from a mapping whose keys were already checked.
    FaultSettings (*parse)(const MapReader& attributes) = nullptr;
};

class FaultRegistry {
public:
    /// Adds `kind`; a second kind with the same name is a programming error (throws).
    void add(const FaultKind& kind);
    const FaultKind* find(std::string_view name) const;
    std::span<const FaultKind> kinds() const { return kinds_; }
    std::vector<std::string_view> names(FaultLayer layer) const;

private:
    std::vector<FaultKind> kinds_;
};

/// Adds every built-in kind: latency, bandwidth, reset, slow_close, blackhole, limit_data,
/// slicer (tcp) and tls_alert, handshake_reset, handshake_stall (tls).
void register_builtin_faults(FaultRegistry& registry);

/// A registry holding the built-in kinds, built once.
const FaultRegistry& builtin_fault_registry();

/// Parses one entry of a rule's `tcp` list: the envelope first (type, then name, probability,
/// stream), then the kind's attributes. Kinds of `layer` only.
std::optional<FaultSpec> parse_fault_spec(const YAML::Node& node, const std::string& path, Diagnostics& diag,
                                          FaultLayer layer, const FaultRegistry& registry = builtin_fault_registry());

/// Parses the attributes of a tls-layer kind given as the value of a `tls` key: either the
/// mapping of its attributes or, as a shorthand, the value of `primary_attribute` alone.
std::optional<FaultSpec> parse_tls_fault(std::string_view type, std::string_view primary_attribute, const YAML::Node& node,
                                         const std::string& path, Diagnostics& diag,
                                         const FaultRegistry& registry = builtin_fault_registry());

}  // namespace tlsfault::scenarios
