#include "scenarios/model/faults/fault_registry.hpp"

#include <stdexcept>

namespace tlsfault::scenarios {
namespace {

constexpr std::string_view envelope_keys[] = {"type", "name", "probability", "stream"};
constexpr std::pair<std::string_view, FaultStream> stream_names[] = {
    {"downstream", FaultStream::downstream},
    {"upstream", FaultStream::upstream},
};

template <typename Settings, Settings (*Parse)(const MapReader&)>
FaultSettings wrap(const MapReader& m) {
    return Parse(m);
}

std::vector<std::string_view> allowed_keys(const FaultKind& kind, bool with_envelope) {
    std::vector<std::string_view> keys;
    if (with_envelope) keys.assign(std::begin(envelope_keys), std::end(envelope_keys));
    for (const auto& a : kind.attributes) keys.push_back(a.name);
    return keys;
}

}  // namespace

std::string_view to_string(FaultStream stream) { return stream == FaultStream::upstream ? "upstream" : "downstream"; }

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

void register_builtin_faults(FaultRegistry& r) {
    using L = FaultLayer;
    r.add({"latency", L::tcp, "delay every chunk by latency ± jitter", latency_attributes, wrap<LatencySettings, parse_latency>});
    r.add({"bandwidth", L::tcp, "limit throughput to a rate", bandwidth_attributes, wrap<BandwidthSettings, parse_bandwidth>});
    r.add({"reset", L::tcp, "reset the connection (TCP RST) after a timeout", reset_attributes, wrap<ResetSettings, parse_reset>});
    r.add({"slow_close", L::tcp, "hold the close back for a while", slow_close_attributes, wrap<SlowCloseSettings, parse_slow_close>});
    r.add({"blackhole", L::tcp, "accept and never answer", blackhole_attributes, wrap<BlackholeSettings, parse_blackhole>});
    r.add({"limit_data", L::tcp, "close after N bytes", limit_data_attributes, wrap<LimitDataSettings, parse_limit_data>});
    r.add({"slicer", L::tcp, "cut data into small slices, optionally delayed", slicer_attributes, wrap<SlicerSettings, parse_slicer>});
    r.add({"tls_alert", L::tls, "send a fatal alert after the ClientHello, then linger", tls_alert_attributes,
           wrap<TlsAlertSettings, parse_tls_alert_fault>});
    r.add({"handshake_reset", L::tls, "TCP RST right after the ClientHello", handshake_reset_attributes,
           wrap<HandshakeResetSettings, parse_handshake_reset>});
    r.add({"handshake_close", L::tls, "orderly close (FIN, no alert) right after the ClientHello", handshake_close_attributes,
           wrap<HandshakeCloseSettings, parse_handshake_close>});
    r.add({"handshake_stall", L::tls, "hold the ServerHello back, then resume or close", handshake_stall_attributes,
           wrap<HandshakeStallSettings, parse_handshake_stall>});
}

const FaultRegistry& builtin_fault_registry() {
    static const FaultRegistry registry = [] {
        FaultRegistry r;
        register_builtin_faults(r);
        return r;
    }();
    return registry;
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
        if (kind) message += ": it is a TLS fault, set it under the rule's tls key";
        else message += did_you_mean(*type, registry.names(layer));
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
