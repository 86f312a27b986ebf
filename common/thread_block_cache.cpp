// A per-thread cache of heap blocks between 1 and 32 KiB; see thread_block_cache.hpp.
#include "common/thread_block_cache.hpp"

#include <malloc.h>

#include <cstdlib>

namespace tlsfault::block_cache {
namespace {

/// Blocks of one usable size each: the size allocate() last asked of the slot. A size's slot is
/// fixed: its 16-byte units modulo a prime, so that sizes a power of two apart (2 KiB and 4 KiB
/// frames) do not share one.
constexpr std::size_t slot_count = 61;
struct Slot {
    std::size_t usable;  ///< of every block here
    std::size_t count;
    void* blocks[same_size_depth];
};

/// Zero-initialized thread storage (no guard on each use). `closed` turns true when the thread's
/// storage is torn down: from then on blocks go straight to malloc and free.
struct Shelves {
    Slot slots[slot_count];
    std::size_t bytes;  ///< usable bytes of every block kept
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
        for (Slot& slot : shelves.slots) {
            while (slot.count > 0) std::free(slot.blocks[--slot.count]);
        }
        shelves.bytes = 0;
    }
};
thread_local ShelvesCloser closer;

bool kept(std::size_t usable) { return usable > smallest_kept && usable <= largest_kept; }
Slot& slot_for(std::size_t usable) { return shelves.slots[(usable >> 4) % slot_count]; }

}  // namespace

std::size_t malloc_usable_for(std::size_t size) noexcept { return ((size + 8 + 15) & ~std::size_t{15}) - 8; }

void* allocate(std::size_t size) noexcept {
    const std::size_t usable = malloc_usable_for(size);
    if (kept(usable) && !shelves.closed) {
        Slot& slot = slot_for(usable);
        if (slot.usable == usable && slot.count > 0) {
            shelves.bytes -= usable;
            return slot.blocks[--slot.count];
        }
        if (slot.usable != usable) {
            // The slot is this size's from now on: blocks of the size it held go (the newest size
            // wins; a slot that kept one size's blocks stayed stuck with a size freed once).
            shelves.bytes -= slot.usable * slot.count;
            while (slot.count > 0) std::free(slot.blocks[--slot.count]);
            slot.usable = usable;
        }
    }
    return std::malloc(size);
}

void release(void* block) noexcept {
    if (block == nullptr) return;
    const std::size_t usable = malloc_usable_size(block);  // whoever made it
    // Only a size allocate() was asked for lately is kept: others (blocks malloc cut larger than
    // asked, or grown by realloc) would fill the cache with blocks nobody takes.
    if (!kept(usable) || shelves.closed) return std::free(block);
    Slot& slot = slot_for(usable);
    if (slot.usable != usable || slot.count >= same_size_depth || shelves.bytes + usable > max_bytes_kept) return std::free(block);
    if (!shelves.closer_armed) {
        shelves.closer_armed = true;
        closer.armed = true;  // the first use of `closer` on this thread registers its destructor
    }
    slot.blocks[slot.count++] = block;
    shelves.bytes += usable;
}

std::size_t blocks_kept() noexcept {
    std::size_t total = 0;
    for (const Slot& slot : shelves.slots) total += slot.count;
    return total;
}

std::size_t bytes_kept() noexcept { return shelves.bytes; }

}  // namespace tlsfault::block_cache
