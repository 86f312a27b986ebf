// A per-thread shelf of relay scratch buffers (relay_chunk_size bytes each). A kept-alive
// connection gives its buffer back between requests so an idle one holds none; taking it from
// here again costs no malloc of 64 KiB, and no brk() when that block sat at the heap's top.
#pragma once

#include <cstddef>
#include <memory>

namespace tlsfault::proxy {

/// Bytes in one relay scratch buffer (one read or write of a body).
inline constexpr std::size_t relay_chunk_size = 64 * 1024;
/// Buffers a thread keeps for reuse at most (1 MiB): enough for the connections it relays at
/// once in a burst; more are freed.
inline constexpr std::size_t relay_scratch_shelf_size = 16;

/// A buffer from this thread's shelf, or a new one (not zeroed).
std::unique_ptr<char[]> take_relay_scratch();
/// Back on this thread's shelf, or freed when the shelf is full.
void shelve_relay_scratch(std::unique_ptr<char[]> buffer);

}  // namespace tlsfault::proxy
