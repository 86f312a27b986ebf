// Fault kinds by name, built from the FaultSettings variant (each kind's FaultTraits): nothing
// here changes when a kind is added. Built explicitly by register_builtin_faults(): static
// self-registration would be dropped by the linker from a static library.
#pragma once

#include "scenarios/model/faults/fault_spec.hpp"

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace tlsfault::scenarios {

/// One fault kind: how it is named, documented, parsed, run and described.
struct FaultKind {
    std::string_view name;
    FaultLayer layer = FaultLayer::tcp;
    std::string_view summary;  ///< one line, for docs, `tlsfault list --faults` and `run --help`
    std::span<const FaultAttribute> attributes;
    /// Reads the kind's attributes from a mapping whose keys were already checked.
    FaultSettings (*parse)(const MapReader& attributes) = nullptr;
    FaultRole role = FaultRole::chain;
    TlsKey tls{};  ///< how a tls kind is written under a rule's `tls` key
    /// The one line `explain` shows and the `fault` event records.
    std::string (*describe)(const FaultSettings& settings) = nullptr;
    /// True when the fault, as configured, ends the connection itself.
    bool (*ends_connection)(const FaultSettings& settings) = nullptr;
    /// The kind's settings with every attribute at its default.
    FaultSettings (*defaults)() = nullptr;
};

/// The kind a fault's settings belong to (always registered: the registry mirrors the variant).
const FaultKind& kind_of(const FaultSettings& settings);

/// True when the fault can end the connection by itself (a timed reset, limit_data; an alert,
/// reset or close after the ClientHello): the rule's expect is judged on what it did.
inline bool ends_connection(const FaultSettings& settings) { return kind_of(settings).ends_connection(settings); }

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

/// Adds every kind of the FaultSettings variant, in its order.
void register_builtin_faults(FaultRegistry& registry);

/// A registry holding the built-in kinds, built once.
const FaultRegistry& builtin_fault_registry();

/// Parses one entry of a rule's `tcp` list: the envelope first (type, then name, probability,
/// stream), then the kind's attributes. Kinds of `layer` only.
std::optional<FaultSpec> parse_fault_spec(const YAML::Node& node, const std::string& path, Diagnostics& diag, FaultLayer layer,
                                          const FaultRegistry& registry = builtin_fault_registry());

/// Parses the attributes of a tls-layer kind given as the value of a `tls` key: either the
/// mapping of its attributes or, as a shorthand, the value of `primary_attribute` alone.
std::optional<FaultSpec> parse_tls_fault(std::string_view type, std::string_view primary_attribute, const YAML::Node& node,
                                         const std::string& path, Diagnostics& diag,
                                         const FaultRegistry& registry = builtin_fault_registry());

}  // namespace tlsfault::scenarios
