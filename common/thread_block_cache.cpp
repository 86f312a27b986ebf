// A per-thread cache of heap blocks between 1 and 32 KiB; see thread_block_cache.hpp.
#include "common/thread_block_cache.hpp"

#include <malloc.h>

#include <bit>
#include <cstdlib>

namespace tlsfault::block_cache {
namespace {

/// Four shelves an octave from 1 KiB to 32 KiB: 1280, 1536, 1792, 2048, 2560, ... 32768.
constexpr std::size_t shelf_count = 20;
constexpr std::size_t first_octave = 10;  // 2^10 = smallest_kept

/// The shelf whose blocks are the smallest that hold `size` (smallest_kept < size <= largest_kept).
std::size_t shelf_for(std::size_t size) {
    const std::size_t m = size - 1;
    const std::size_t octave = static_cast<std::size_t>(std::bit_width(m)) - 1;
    const std::size_t quarter = (m >> (octave - 2)) & 3;
    return (octave - first_octave) * 4 + quarter;
}
std::size_t shelf_size(std::size_t shelf) { return (5 + shelf % 4) << (first_octave - 2 + shelf / 4); }
std::size_t shelf_depth_of(std::size_t shelf) { return shelf_size(shelf) <= 4096 ? shelf_depth : shelf_depth / 2; }

/// Zero-initialized thread storage (no guard on each use). `closed` turns true when the thread's
/// storage is torn down: from then on blocks go straight to malloc and free.
struct Shelves {
    void* blocks[shelf_count][shelf_depth];
    unsigned char count[shelf_count];
    bool closer_armed;
    bool closed;
};
constinit thread_local Shelves shelves{};

/// Frees a thread's kept blocks when the thread ends (the main thread's at exit()). Armed on the
/// first block kept, so a thread that never keeps one registers nothing.
struct ShelvesCloser {
    bool armed = false;
    ~ShelvesCloser() {
        shelves.closed = true;
        for (std::size_t shelf = 0; shelf < shelf_count; ++shelf) {
            while (shelves.count[shelf] > 0) std::free(shelves.blocks[shelf][--shelves.count[shelf]]);
        }
    }
};
thread_local ShelvesCloser closer;

bool kept(std::size_t size) { return size > smallest_kept && size <= largest_kept; }

}  // namespace

std::size_t rounded_size(std::size_t size) noexcept { return kept(size) ? shelf_size(shelf_for(size)) : size; }

void* allocate(std::size_t size) noexcept {
    if (!kept(size)) return std::malloc(size);
    const std::size_t shelf = shelf_for(size);
    if (shelves.count[shelf] > 0 && !shelves.closed) return shelves.blocks[shelf][--shelves.count[shelf]];
    return std::malloc(shelf_size(shelf));
}

void release(void* block) noexcept {
    if (block == nullptr) return;
    // The block's own size, whoever made it: ours are malloc(shelf_size), which glibc gives a few
    // bytes more; another's goes to the largest shelf it fills, or to free().
    const std::size_t usable = malloc_usable_size(block);
    if (usable < shelf_size(0) || usable >= largest_kept + 256 || shelves.closed) {
        std::free(block);
        return;
    }
    const std::size_t shelf = usable >= largest_kept ? shelf_count - 1 : shelf_for(usable + 1) - 1;
    if (shelves.count[shelf] >= shelf_depth_of(shelf)) {
        std::free(block);
        return;
    }
    if (!shelves.closer_armed) {
        shelves.closer_armed = true;
        closer.armed = true;  // the first use of `closer` on this thread registers its destructor
    }
    shelves.blocks[shelf][shelves.count[shelf]++] = block;
}

std::size_t blocks_kept() noexcept {
    std::size_t total = 0;
    for (std::size_t shelf = 0; shelf < shelf_count; ++shelf) total += shelves.count[shelf];
    return total;
}

}  // namespace tlsfault::block_cache
