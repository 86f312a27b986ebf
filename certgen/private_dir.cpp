// mkdir's mode is filtered by the umask (umask 000 would still give 0700 here, but umask 0277
// would give an unwritable 0500), so each directory made is chmod-ed to exactly 0700.
#include "certgen/private_dir.hpp"

#include "certgen/certgen_error.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tlsfault::certgen {
namespace fs = std::filesystem;
namespace {

std::string octal_mode(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

}  // namespace

void create_private_directory(const fs::path& dir) {
    if (dir.empty() || fs::is_directory(dir)) return;
    if (dir.has_parent_path() && dir.parent_path() != dir) create_private_directory(dir.parent_path());
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        throw CertgenError(dir.string() + ": cannot create the state directory (" + std::strerror(errno) +
                           "); pass --state-dir with a writable directory");
    ::chmod(dir.c_str(), 0700);
}

void check_private_directory(const fs::path& dir) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) return;
    if (st.st_uid != ::geteuid())
        throw CertgenError(dir.string() + ": owned by another user (uid " + std::to_string(st.st_uid) +
                           "), so its CA keys cannot be trusted; pass a --state-dir of your own");
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        throw CertgenError(dir.string() + ": writable by other users (mode " + octal_mode(st.st_mode) +
                           "), so its CA keys cannot be trusted; chmod 700 it (or pass another --state-dir)");
}

}  // namespace tlsfault::certgen
