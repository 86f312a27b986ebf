// A per-thread cache of heap blocks between 1 and 32 KiB, in front of malloc.
//
// glibc's malloc serves blocks up to 1 KiB from its per-thread tcache in a few dozen
// instructions; a bigger block goes through its bins (_int_malloc, _int_free), some 300
// instructions each way. A kept-alive relayed request makes about fifteen such blocks and frees
// them again: coroutine frames (past what Asio's own recycling keeps: two blocks of at most
// 2,040 bytes), header buffers, TLS input and output, and OpenSSL's record buffers (released after each record so an
// idle connection holds none). Kept here instead, each costs a push and a pop.
//
// Blocks are kept by their exact usable size and handed out only for requests that malloc would
// give that same size: nothing is rounded up, so a block that lives long (an idle connection's
// coroutine frames and OpenSSL objects) costs what malloc's own would. Quarter-octave size
// classes cost 0.7 KiB per idle connection (docs/performance.md).
//
// Every block is malloc's: one taken from here may be given to free(), and any malloc'd block
// may be given back here. The binary routes operator new and OpenSSL's allocations through this
// (cli/allocation_hooks.cpp), except in sanitizer builds, whose own allocator must see every block.
#pragma once

#include <cstddef>

namespace tlsfault::block_cache {

/// Usable sizes kept: above smallest_kept (what tcache already serves well), up to largest_kept.
inline constexpr std::size_t smallest_kept = 1024;
inline constexpr std::size_t largest_kept = 32 * 1024;
/// Blocks of one size a thread keeps at most, and bytes in all: kept blocks are resident memory.
/// 256 KiB a thread is at most 0.26 KiB per connection when 1,000 are held idle (the bench
/// measured 19.8 KiB each with the cache, 19.9 without).
inline constexpr std::size_t same_size_depth = 8;
inline constexpr std::size_t max_bytes_kept = 256 * 1024;

/// The usable size glibc's malloc gives a request of `size` bytes (its 16-byte chunk, less the
/// 8-byte header): the size a kept block must have to serve it. Were glibc to round otherwise,
/// blocks would only stop being reused: a block is handed out only when its own
/// malloc_usable_size() equals this, which is never less than `size`.
std::size_t malloc_usable_for(std::size_t size) noexcept;

/// A block of at least `size` bytes, from this thread's cache or malloc; nullptr only when
/// malloc fails.
void* allocate(std::size_t size) noexcept;
/// Kept for reuse when its size is kept and there is room, else free(). nullptr is ignored.
void release(void* block) noexcept;
/// Blocks kept by this thread now, and their usable bytes (for tests).
std::size_t blocks_kept() noexcept;
std::size_t bytes_kept() noexcept;

}  // namespace tlsfault::block_cache
