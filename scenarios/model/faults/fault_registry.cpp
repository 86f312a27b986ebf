#include "scenarios/model/faults/fault_registry.hpp"

#include <stdexcept>
#include <type_traits>

namespace tlsfault::scenarios {
namespace {

constexpr std::string_view envelope_keys[] = {"type", "name", "probability", "stream"};
constexpr NameTable<FaultStream, 2> stream_names{{
    {FaultStream::downstream, "downstream"},
    {FaultStream::upstream, "upstream"},
}};

/// A kind's registry entry, from its FaultTraits.
template <class Settings>
FaultKind kind_from_traits() {
    using Traits = FaultTraits<Settings>;
    const FaultDecl& d = Traits::decl;
    return FaultKind{
        .name = d.name,
        .layer = d.layer,
        .summary = d.summary,
        .attributes = d.attributes,
        .parse = [](const MapReader& m) -> FaultSettings { return Traits::parse(m); },
        .role = d.role,
        .tls = d.tls,
        .describe = [](const FaultSettings& s) { return Traits::describe(std::get<Settings>(s)); },
        .ends_connection = [](const FaultSettings& s) { return fault_ends_connection(std::get<Settings>(s)); },
        .defaults = []() -> FaultSettings { return Settings{}; },
    };
}

template <class... Settings>
void add_kinds(FaultRegistry& registry, std::type_identity<std::variant<Settings...>>) {
    (registry.add(kind_from_traits<Settings>()), ...);
}

std::vector<std::string_view> allowed_keys(const FaultKind& kind, bool with_envelope) {
    std::vector<std::string_view> keys;
    if (with_envelope) keys.assign(std::begin(envelope_keys), std::end(envelope_keys));
    for (const auto& a : kind.attributes) keys.push_back(a.name);
    return keys;
}

}  // namespace

std::string_view to_string(FaultStream stream) { return name_of(stream_names, stream, "downstream"); }

void FaultRegistry::add(const FaultKind& kind) {
    if (find(kind.name)) throw std::logic_error("fault kind registered twice: " + std::string(kind.name));
    kinds_.push_back(kind);
}

const FaultKind* FaultRegistry::find(std::string_view name) const {
    for (const auto& k : kinds_)
        if (k.name == name) return &k;
    return nullptr;
}

std::vector<std::string_view> FaultRegistry::names(FaultLayer layer) const {
    std::vector<std::string_view> out;
    for (const auto& k : kinds_)
        if (k.layer == layer) out.push_back(k.name);
    return out;
}

void register_builtin_faults(FaultRegistry& registry) { add_kinds(registry, std::type_identity<FaultSettings>{}); }

const FaultRegistry& builtin_fault_registry() {
    static const FaultRegistry registry = [] {
        FaultRegistry r;
        register_builtin_faults(r);
        return r;
    }();
    return registry;
}

const FaultKind& kind_of(const FaultSettings& settings) {
    // The built-in registry holds the variant's kinds in the variant's order.
    return builtin_fault_registry().kinds()[settings.index()];
}

std::optional<FaultSpec> parse_fault_spec(const YAML::Node& node, const std::string& path, Diagnostics& diag, FaultLayer layer,
                                          const FaultRegistry& registry) {
    if (!node.IsMap()) {
        diag.error(node, path, "expected a mapping with a type (e.g. {type: latency, latency: 300ms}), got " + describe(node));
        return std::nullopt;
    }
    const YAML::Node type_node = node["type"];
    if (!type_node.IsDefined()) {
        diag.error(node, path + ".type", "missing (required)");
        return std::nullopt;
    }
    auto type = read_text(type_node, path + ".type", diag);
    if (!type) return std::nullopt;
    const FaultKind* kind = registry.find(*type);
    if (!kind || kind->layer != layer) {
        std::string message = "unknown " + std::string(layer == FaultLayer::tcp ? "tcp" : "tls") + " fault type '" + *type + "'";
        if (kind)
            message += ": it is a TLS fault, set it under the rule's tls key";
        else
            message += did_you_mean(*type, registry.names(layer));
        diag.error(type_node, path + ".type", message);
        return std::nullopt;
    }
    MapReader m(node, path, diag, allowed_keys(*kind, true));
    FaultSpec spec;
    spec.type = *type;
    if (m.has("stream")) spec.stream = read_enum(m.get("stream"), m.path("stream"), diag, stream_names, "stream").value_or(spec.stream);
    spec.name = spec.type + "_" + std::string(to_string(spec.stream));
    if (m.has("name")) spec.name = read_text(m.get("name"), m.path("name"), diag).value_or(spec.name);
    if (m.has("probability")) spec.probability = read_number(m.get("probability"), m.path("probability"), diag, 0.0, 1.0).value_or(1.0);
    spec.settings = kind->parse(m);
    return spec;
}

std::optional<FaultSpec> parse_tls_fault(std::string_view type, std::string_view primary_attribute, const YAML::Node& node,
                                         const std::string& path, Diagnostics& diag, const FaultRegistry& registry) {
    const FaultKind* kind = registry.find(type);
    if (!kind) throw std::logic_error("unregistered tls fault kind: " + std::string(type));
    // The shorthand: `alert: unknown_ca` means `alert: {alert: unknown_ca}`. The value node keeps
    // its mark, so errors still point into the file. (A fresh node: assigning to a YAML::Node that
    // shares `node` would rewrite the document itself.)
    YAML::Node wrapped(YAML::NodeType::Map);
    if (!node.IsMap()) wrapped[std::string(primary_attribute)] = node;
    const YAML::Node& attributes = node.IsMap() ? node : wrapped;
    std::size_t before = diag.count();
    MapReader m(attributes, path, diag, allowed_keys(*kind, false));
    if (!m.ok()) return std::nullopt;
    FaultSpec spec;
    spec.type = std::string(type);
    spec.name = spec.type;
    spec.settings = kind->parse(m);
    if (!node.IsMap()) diag.rename_path(before, m.path(primary_attribute), path);
    if (diag.count() != before) return std::nullopt;
    return spec;
}

}  // namespace tlsfault::scenarios
