// The files a scenario names (a `body_file`, a PEM chain or client CA certificate) are read
// when the scenario loads, not when traffic uses them: a missing, unreadable or oversized file
// is a load error at its key, and the traffic path does no file I/O. The bytes are shared, so
// copies of a Scenario (and every connection holding one) do not copy them.
#pragma once

#include "scenarios/model/yaml_reader.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tlsfault::scenarios {

/// The largest `body_file` a scenario may name: each answer is built in memory.
inline constexpr std::uint64_t max_body_file_bytes = 16u << 20;
/// The largest PEM certificate file a scenario may name (a chain of a few certificates is ~10 KiB).
inline constexpr std::uint64_t max_pem_file_bytes = 1u << 20;

/// A file read whole at load time, shared by every copy of the scenario.
struct NamedFile {
    std::filesystem::path path;                ///< absolute
    std::shared_ptr<const std::string> bytes;  ///< never null
};

/// Resolves the path at `node` (see read_file_path) and reads the file whole. Records an error
/// at `node` (and returns nullopt) when it is missing, not a regular file, bigger than
/// `max_bytes` (`what` names it in the message: "a body_file") or unreadable.
std::optional<NamedFile> read_named_file(const YAML::Node& node, const std::string& path, Diagnostics& diag, std::uint64_t max_bytes,
                                         std::string_view what);

}  // namespace tlsfault::scenarios
