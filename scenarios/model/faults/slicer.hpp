// slicer: cuts the data into small packets with optional delays (Toxiproxy `slicer`): finds
// clients that assume one read returns a whole record or message.
#pragma once

#include "scenarios/model/faults/fault_kind.hpp"

#include <chrono>
#include <cstdint>

namespace tlsfault::scenarios {

/// Each write is split into slices of `average_size` ± `size_variation` bytes, `delay` apart.
struct SlicerSettings {
    std::uint64_t average_size = 0;
    std::uint64_t size_variation = 0;  ///< always below average_size after parsing
    std::chrono::milliseconds delay{0};
};

inline constexpr FaultAttribute slicer_attributes[] = {
    {"average_size", "size", "", "mean slice size, e.g. 16 bytes"},
    {"size_variation", "size", "0 bytes", "random variation of the slice size (less than average_size)"},
    {"delay", "duration", "0ms", "pause between slices"},
};

template <>
struct FaultTraits<SlicerSettings> {
    static constexpr FaultDecl decl{.name = "slicer",
                                    .layer = FaultLayer::tcp,
                                    .role = FaultRole::chain,
                                    .summary = "cut data into small slices, optionally delayed",
                                    .attributes = slicer_attributes};
    static SlicerSettings parse(const MapReader& attributes);
    static std::string describe(const SlicerSettings& settings);
};

}  // namespace tlsfault::scenarios
