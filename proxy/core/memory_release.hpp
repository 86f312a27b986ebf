// Giving memory back after a burst of connections: glibc keeps freed heap pages (per thread arena)
// until asked, so RSS after 2,000 connections stayed at its peak for the rest of the day.
#pragma once

#include <cstddef>

namespace tlsfault::proxy {

/// Counts a connection in (accept) and out (its record is gone). When the last connection of a
/// burst (at least `burst_size` live at once) ends, free heap pages go back to the system
/// (malloc_trim). Thread-safe; cheap when there is nothing to do.
void connection_opened();
void connection_closed();

/// Live connections of at least this many at once make a burst worth trimming after.
inline constexpr int burst_size = 64;

/// Free memory at the top of the heap that glibc may keep for the next connection. Its default
/// (128 KiB) is less than one forwarded connection's TLS read and relay buffers (66 + 64 KiB), so
/// each closing connection shrank the heap and the next one faulted the same pages back in (~1.3
/// page faults and ~15 µs CPU per new connection, docs/performance.md). Bursts still give it all
/// back: connection_closed trims with malloc_trim, which ignores this threshold.
inline constexpr std::size_t kept_heap_top = 4 * 1024 * 1024;

/// Sets glibc's trim threshold to kept_heap_top (nothing elsewhere). Call once, before traffic.
void keep_heap_top_for_reuse();

}  // namespace tlsfault::proxy
