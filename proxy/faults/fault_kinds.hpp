// The engine's side of the fault registry: for every kind of the FaultSettings variant (so, by
// name, in the same order as scenarios::builtin_fault_registry()), what runs it. Built from the
// variant and each kind's FaultTraits role: nothing here changes when a kind is added.
#pragma once

#include "proxy/faults/handshake/handshake_fault.hpp"
#include "proxy/faults/tcp_fault.hpp"

#include "scenarios/model/faults/fault_spec.hpp"

#include <memory>
#include <optional>
#include <span>
#include <string_view>

namespace tlsfault::proxy::faults {

/// How the engine runs one kind.
struct RuntimeFaultKind {
    std::string_view name;
    scenarios::FaultRole role = scenarios::FaultRole::chain;
    /// Chain kinds: the link for one direction. Null for the others.
    std::unique_ptr<TcpFault> (*make_link)(const scenarios::FaultSettings& settings, FaultContext& context) = nullptr;
    /// Handshake kinds: runs right after the ClientHello; a verdict when it ended the connection.
    net::awaitable<std::optional<Verdict>> (*run_handshake)(const scenarios::FaultSettings& settings,
                                                            HandshakeFaultContext& context) = nullptr;
    // Whole-connection kinds (blackhole, reset) are run by the splice itself (fault_splice.cpp).
};

/// Every kind, in the variant's order.
std::span<const RuntimeFaultKind> runtime_fault_kinds();

/// The kind called `name`, or nullptr.
const RuntimeFaultKind* find_runtime_fault(std::string_view name);

/// The kind `settings` belong to.
const RuntimeFaultKind& runtime_fault_of(const scenarios::FaultSettings& settings);

}  // namespace tlsfault::proxy::faults
