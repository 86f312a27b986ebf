// Writing a file so that readers only ever see the old or the new whole content: a temp file in
// the same folder, flushed, then renamed over the name (rename is atomic within a file system).
#pragma once

#include <filesystem>
#include <string_view>

namespace tlsfault::cli {

/// Writes `content` to `path` through `path`.tmp + rename, with permissions `mode` (0644 for
/// certificates and text, 0600 for keys, 0755 for scripts). Throws std::runtime_error naming the
/// path on failure, leaving no temp file behind.
void write_file_atomically(const std::filesystem::path& path, std::string_view content, unsigned mode = 0644);

/// The whole content of `path`; throws std::runtime_error naming it when it cannot be read.
std::string read_whole_file(const std::filesystem::path& path);

}  // namespace tlsfault::cli
