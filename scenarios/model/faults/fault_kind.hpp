// What every fault kind declares: its name, layer, role, attributes (for validation and docs),
// its parser and its one-line description. One kind per file pair in this folder: the header
// specialises FaultTraits, the .cpp defines parse and describe. The FaultSettings variant
// (fault_spec.hpp) lists the kinds; the registry and the runtime table are built from it.
#pragma once

#include "scenarios/model/yaml_reader.hpp"

#include <span>
#include <string>
#include <string_view>

namespace tlsfault::scenarios {

/// tcp faults act on the byte stream (Toxiproxy parity); tls faults act on the handshake.
enum class FaultLayer { tcp, tls };

/// How the engine runs a kind (proxy/faults/fault_kinds.hpp dispatches on it).
enum class FaultRole {
    chain,             ///< a link of one direction's chain: sees every chunk (latency, slicer, limit_data, ...)
    whole_connection,  ///< acts on the whole connection around the chain (blackhole, reset)
    handshake,         ///< acts right after the ClientHello, before any ServerHello byte (the tls kinds)
};

/// One type-specific attribute, documented where it is declared.
struct FaultAttribute {
    std::string_view name;
    std::string_view unit;           ///< "duration", "size", "rate", "alert", "bool", "word"
    std::string_view default_value;  ///< "" when required
    std::string_view doc;
};

/// How a tls-layer kind is written under a rule's `tls` key.
struct TlsKey {
    std::string_view key;  ///< e.g. "alert", "stall", "reset_after_client_hello"
    /// The attribute a scalar value sets (`alert: unknown_ca` = `alert: {alert: unknown_ca}`);
    /// "" for a switch written `key: true`.
    std::string_view shorthand;
};

/// The constant part of a kind's declaration.
struct FaultDecl {
    std::string_view name;
    FaultLayer layer = FaultLayer::tcp;
    FaultRole role = FaultRole::chain;
    std::string_view summary;  ///< one line, for docs, `tlsfault list --faults` and `run --help`
    std::span<const FaultAttribute> attributes;
    TlsKey tls{};  ///< tls kinds only
};

/// Specialised by each kind's header for its settings type, with:
///   static constexpr FaultDecl decl;
///   static Settings parse(const MapReader& attributes);   // keys already checked
///   static std::string describe(const Settings&);          // "latency 300ms ± 100ms"
/// and, for a kind that can end the connection by itself (the rule is then judged on what it
/// did, not on what the session saw):
///   static bool ends_connection(const Settings&);
template <class Settings>
struct FaultTraits;

/// True when the kind, as configured, ends the connection itself; false when it does not say.
template <class Settings>
bool fault_ends_connection(const Settings& settings) {
    if constexpr (requires { FaultTraits<Settings>::ends_connection(settings); })
        return FaultTraits<Settings>::ends_connection(settings);
    else
        return false;
}

}  // namespace tlsfault::scenarios
