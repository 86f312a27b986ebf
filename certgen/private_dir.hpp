// The state directory holds the lab CA's private keys: it is created private (0700 whatever the
// umask) and refused when another user could write to it (and so swap the CA for their own).
#pragma once

#include <filesystem>

namespace tlsfault::certgen {

/// Creates `dir` and any missing parent, each new one with mode 0700 (set explicitly, so the
/// umask cannot widen or narrow it). Throws CertgenError naming the directory and the fix.
void create_private_directory(const std::filesystem::path& dir);

/// Throws CertgenError when `dir` is writable by group or others, or owned by another user:
/// keys loaded from it could have been replaced. Does nothing when `dir` does not exist.
void check_private_directory(const std::filesystem::path& dir);

}  // namespace tlsfault::certgen
