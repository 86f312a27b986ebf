// A per-thread cache of heap blocks between 1 and 32 KiB, in front of malloc.
//
// glibc's malloc serves blocks up to 1 KiB from its per-thread tcache in a few dozen
// instructions; a bigger block goes through its bins (_int_malloc, _int_free), some 300
// instructions each way. A kept-alive relayed request makes about fifteen such blocks and frees
// them again: coroutine frames (GCC's are over 2 KiB, past Asio's own frame recycling), header
// buffers, TLS input and output, and OpenSSL's record buffers (released after each record so an
// idle connection holds none). Kept here instead, each costs a push and a pop.
//
// Every block is malloc's: one taken from here may be given to free(), and any malloc'd block
// may be given back here (its usable size says which shelf fits it). The binary routes operator
// new and OpenSSL's allocations through this (cli/allocation_hooks.cpp), except in sanitizer
// builds, whose own allocator must see every block.
#pragma once

#include <cstddef>

namespace tlsfault::block_cache {

/// Sizes kept: above smallest_kept (what tcache already serves well) and up to largest_kept.
inline constexpr std::size_t smallest_kept = 1024;
inline constexpr std::size_t largest_kept = 32 * 1024;
/// Blocks one thread keeps on one shelf at most (shelves above 4 KiB keep half as many):
/// at most about 2.4 MiB a thread in all, usually far less.
inline constexpr std::size_t shelf_depth = 16;

/// The size a request of `size` bytes is given (a quarter-octave step: at most 25 % more), or
/// `size` itself when it is not kept.
std::size_t rounded_size(std::size_t size) noexcept;

/// A block of at least `size` bytes, from this thread's shelf or malloc; nullptr only when malloc
/// fails.
void* allocate(std::size_t size) noexcept;
/// Back on this thread's shelf when one fits it and has room, else free(). nullptr is ignored.
void release(void* block) noexcept;
/// Blocks on this thread's shelves now (for tests).
std::size_t blocks_kept() noexcept;

}  // namespace tlsfault::block_cache
