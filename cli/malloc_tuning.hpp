// glibc's malloc keeps, per thread, a cache of freed blocks for each small size (tcache), 7 deep
// by default. A TLS handshake allocates and frees ~700 blocks through OpenSSL, many more than 7
// of a size at a time, so most of them missed that cache and took malloc's slower paths: with the
// cache 200 deep, a forwarded new connection costs ~2 % fewer instructions (docs/performance.md)
// and an idle connection no more memory. The depth is a glibc tunable, read only when a process
// starts; `tlsfault run` therefore starts itself once more with it set.
#pragma once

namespace tlsfault::cli {

/// The tunable `tlsfault run` sets, and the variable that says the process was restarted with it.
inline constexpr const char* malloc_tunables = "glibc.malloc.tcache_count=200";
inline constexpr const char* malloc_tuned_marker = "TLSFAULT_MALLOC_TUNED";

/// First thing in main(). For `run`: re-executes the program (/proc/self/exe, same arguments and
/// PID) with GLIBC_TUNABLES=malloc_tunables, unless GLIBC_TUNABLES is already set (the user's
/// tunables stand; set it, even empty, to opt out) or this is the restarted process, which takes
/// both variables back out of its environment so that the programs it starts do not inherit them.
/// Returns when there was nothing to do or the exec failed (glibc's defaults then; no error).
/// Sanitizer builds never restart: their allocator is not glibc's.
void restart_with_deeper_malloc_cache(int argc, char** argv);

}  // namespace tlsfault::cli
