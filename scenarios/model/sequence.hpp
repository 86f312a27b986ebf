// Sequencing: on which attempts a rule applies — the first N, every k-th, or with probability p
// from a seed, so a flaky run can be replayed exactly.
#pragma once

#include "scenarios/model/yaml_reader.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tlsfault::scenarios {

struct Sequence {
    enum class Kind {
        always,       ///< every attempt (no `sequence` key)
        first,        ///< attempts 1..count, then the rule stops applying
        every,        ///< attempts count, 2*count, 3*count, ...
        probability,  ///< each attempt with `probability`, decided by hash(seed, key, attempt)
    };
    /// Which attempts are counted together.
    enum class Per { client_host, host, client, all };

    Kind kind = Kind::always;
    std::uint64_t count = 0;
    double probability = 1.0;
    std::uint64_t seed = 0;
    Per per = Per::client_host;

    /// Whether the rule applies to attempt number `attempt` (1-based) of `key` (see attempt_key).
    /// A pure function of its arguments: the same seed gives the same run, in any thread order.
    bool fires(std::uint64_t attempt, std::string_view key) const;
};

/// Hosts that agree on their first this many bytes are counted as one (253: the longest DNS name).
inline constexpr std::size_t max_counted_host_length = 253;

/// The counter key for `per`: "client|host", "host", "client" or "" (host lower-case, without a
/// trailing dot, cut to max_counted_host_length bytes).
std::string attempt_key(Sequence::Per per, std::string_view client, std::string_view host);

/// A uniform number in [0, 1) from (seed, key, n): splitmix64 over an FNV-1a hash of the key.
double seeded_uniform(std::uint64_t seed, std::string_view key, std::uint64_t n);

/// `sequence: {first: 3}`, `{every: 2}` or `{probability: 0.3, seed: 42}`, each with an optional
/// `per: client-host|host|client|all`.
std::optional<Sequence> parse_sequence(const YAML::Node& node, const std::string& path, Diagnostics& diag);

}  // namespace tlsfault::scenarios
