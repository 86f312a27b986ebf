// corrupt: flips one byte of the stream after N bytes — what a bad NIC, a broken middlebox or a
// bit flip on the wire does. TLS must notice: the client fails with bad_record_mac (or, inside
// the handshake, a decode error) instead of handing tampered data to the application.
#pragma once

#include "scenarios/model/faults/fault_kind.hpp"

#include <cstdint>

namespace tlsfault::scenarios {

/// The byte at offset `after` in the fault's direction is inverted (XOR 0xFF); the rest passes unchanged.
struct CorruptSettings {
    std::uint64_t after = 0;
};

inline constexpr FaultAttribute corrupt_attributes[] = {
    {"after", "size", "", "bytes let through unchanged before the corrupted one, e.g. 6KB (past the handshake)"},
};

template <>
struct FaultTraits<CorruptSettings> {
    static constexpr FaultDecl decl{.name = "corrupt",
                                    .layer = FaultLayer::tcp,
                                    .role = FaultRole::chain,
                                    .summary = "flip one byte after N bytes (TLS sees bad_record_mac)",
                                    .attributes = corrupt_attributes};
    static CorruptSettings parse(const MapReader& attributes);
    static std::string describe(const CorruptSettings& settings);
};

}  // namespace tlsfault::scenarios
