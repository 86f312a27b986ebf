// limit_data: closes the connection once a number of bytes has passed (Toxiproxy `limit_data`).
#pragma once

#include "scenarios/model/faults/fault_kind.hpp"

#include <cstdint>

namespace tlsfault::scenarios {

/// After `bytes` bytes in the fault's direction, the connection is closed (FIN).
struct LimitDataSettings {
    std::uint64_t bytes = 0;
};

inline constexpr FaultAttribute limit_data_attributes[] = {
    {"bytes", "size", "", "bytes let through before the close, e.g. 100 bytes or 4KB"},
};

template <>
struct FaultTraits<LimitDataSettings> {
    static constexpr FaultDecl decl{.name = "limit_data",
                                    .layer = FaultLayer::tcp,
                                    .role = FaultRole::chain,
                                    .summary = "close after N bytes",
                                    .attributes = limit_data_attributes};
    static LimitDataSettings parse(const MapReader& attributes);
    static std::string describe(const LimitDataSettings& settings);
    static bool ends_connection(const LimitDataSettings& settings);
};

}  // namespace tlsfault::scenarios
