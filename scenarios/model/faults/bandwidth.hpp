// bandwidth: limits the throughput (Toxiproxy `bandwidth`).
#pragma once

#include "scenarios/model/faults/fault_kind.hpp"

#include <cstdint>

namespace tlsfault::scenarios {

/// Data passes at no more than `rate` bytes per second.
struct BandwidthSettings {
    std::uint64_t bytes_per_second = 0;  ///< never 0 after parsing (required, at least 1)
};

inline constexpr FaultAttribute bandwidth_attributes[] = {
    {"rate", "rate", "", "throughput limit, e.g. 10KB/s (KB = 1024 bytes)"},
};

template <>
struct FaultTraits<BandwidthSettings> {
    static constexpr FaultDecl decl{.name = "bandwidth",
                                    .layer = FaultLayer::tcp,
                                    .role = FaultRole::chain,
                                    .summary = "limit throughput to a rate",
                                    .attributes = bandwidth_attributes};
    static BandwidthSettings parse(const MapReader& attributes);
    static std::string describe(const BandwidthSettings& settings);
};

}  // namespace tlsfault::scenarios
