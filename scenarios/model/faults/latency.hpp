// latency: delays the data by a fixed time plus or minus a random jitter (Toxiproxy `latency`).
#pragma once

#include "scenarios/model/faults/fault_kind.hpp"

#include <chrono>

namespace tlsfault::scenarios {

/// Every chunk is delayed by `latency` ± a uniform random `jitter`.
struct LatencySettings {
    std::chrono::milliseconds latency{0};  ///< fixed delay
    std::chrono::milliseconds jitter{0};   ///< added or removed at random, up to this much
};

inline constexpr FaultAttribute latency_attributes[] = {
    {"latency", "duration", "0ms", "fixed delay added to every chunk"},
    {"jitter", "duration", "0ms", "random extra delay in [-jitter, +jitter]"},
};

template <>
struct FaultTraits<LatencySettings> {
    static constexpr FaultDecl decl{.name = "latency",
                                    .layer = FaultLayer::tcp,
                                    .role = FaultRole::chain,
                                    .summary = "delay every chunk by latency ± jitter",
                                    .attributes = latency_attributes};
    static LatencySettings parse(const MapReader& attributes);
    static std::string describe(const LatencySettings& settings);
};

}  // namespace tlsfault::scenarios
