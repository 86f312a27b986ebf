// Giving memory back after a burst of connections: glibc keeps freed heap pages (per thread arena)
// until asked, so RSS after 2,000 connections stayed at its peak for the rest of the day.
#pragma once

namespace tlsfault::proxy {

/// Counts a connection in (accept) and out (its record is gone). When the last connection of a
/// burst (at least `burst_size` live at once) ends, free heap pages go back to the system
/// (malloc_trim). Thread-safe; cheap when there is nothing to do.
void connection_opened();
void connection_closed();

/// Live connections of at least this many at once make a burst worth trimming after.
inline constexpr int burst_size = 64;

}  // namespace tlsfault::proxy
