// One entry per alternative of the FaultSettings variant; the role each kind declares picks
// which of its runtime functions exists (and so which specialisation the linker must find).
#include "proxy/faults/fault_kinds.hpp"

#include <array>
#include <type_traits>

namespace tlsfault::proxy::faults {
namespace {

template <class Settings>
constexpr RuntimeFaultKind entry() {
    constexpr const scenarios::FaultDecl& decl = scenarios::FaultTraits<Settings>::decl;
    RuntimeFaultKind kind{decl.name, decl.role};
    if constexpr (decl.role == scenarios::FaultRole::chain)
        kind.make_link = [](const scenarios::FaultSettings& s, FaultContext& context) { return make_link(std::get<Settings>(s), context); };
    if constexpr (decl.role == scenarios::FaultRole::handshake)
        kind.run_handshake = [](const scenarios::FaultSettings& s, HandshakeFaultContext& context) {
            return run_handshake_fault(std::get<Settings>(s), context);
        };
    return kind;
}

template <class... Settings>
constexpr auto table(std::type_identity<std::variant<Settings...>>) {
    return std::array<RuntimeFaultKind, sizeof...(Settings)>{entry<Settings>()...};
}

constexpr auto kinds = table(std::type_identity<scenarios::FaultSettings>{});

}  // namespace

std::span<const RuntimeFaultKind> runtime_fault_kinds() { return kinds; }

const RuntimeFaultKind* find_runtime_fault(std::string_view name) {
    for (const auto& kind : kinds)
        if (kind.name == name) return &kind;
    return nullptr;
}

const RuntimeFaultKind& runtime_fault_of(const scenarios::FaultSettings& settings) { return kinds[settings.index()]; }

}  // namespace tlsfault::proxy::faults
