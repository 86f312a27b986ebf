// The per-thread block cache (common/thread_block_cache.hpp) on its own: which blocks it keeps,
// what it hands back, its bounds, and blocks that malloc made without it.
#include "common/thread_block_cache.hpp"

#include <doctest/doctest.h>
#include <malloc.h>

#include <cstdlib>
#include <thread>
#include <vector>

namespace cache = tlsfault::block_cache;

TEST_CASE("block cache: malloc_usable_for says what this glibc's malloc gives") {
    // The cache relies on it only for hits (a block is handed out when its usable size equals
    // this): were it wrong, nothing would be reused, and this says so.
    for (std::size_t size = 1; size <= 40 * 1024; size += 7) {
        void* block = std::malloc(size);
        REQUIRE(block != nullptr);
        const std::size_t usable = malloc_usable_size(block);
        std::free(block);
        REQUIRE(cache::malloc_usable_for(size) >= size);
        // malloc may hand out a whole free chunk a little larger than asked (a remainder too small
        // to split); never a smaller one.
        REQUIRE(usable >= cache::malloc_usable_for(size));
    }
    CHECK(cache::malloc_usable_for(3000) == 3000);  // a 3,008-byte chunk, less its 8-byte header
    CHECK(cache::malloc_usable_for(3001) == 3016);
}

TEST_CASE("block cache: a block given back is the next one handed out for a request of its size") {
    void* first = cache::allocate(3000);
    REQUIRE(first != nullptr);
    REQUIRE(malloc_usable_size(first) == cache::malloc_usable_for(3000));
    const std::size_t kept = cache::blocks_kept(), bytes = cache::bytes_kept();
    cache::release(first);
    CHECK(cache::blocks_kept() == kept + 1);
    CHECK(cache::bytes_kept() == bytes + cache::malloc_usable_for(3000));
    void* again = cache::allocate(2995);  // the same usable size: the same block
    CHECK(again == first);
    CHECK(cache::blocks_kept() == kept);
    cache::release(again);
    void* other = cache::allocate(2900);  // a smaller usable size: never a larger block
    CHECK(other != first);
    CHECK(malloc_usable_size(other) < malloc_usable_size(first));
    cache::release(other);
}

TEST_CASE("block cache: a block malloc made is kept when its size was asked for, other sizes are freed") {
    void* ours = cache::allocate(5000);  // asks for this size: its blocks are kept from now on
    void* foreign = std::malloc(5000);
    REQUIRE(malloc_usable_size(foreign) == cache::malloc_usable_for(5000));  // cut from the heap's top
    const std::size_t kept = cache::blocks_kept();
    cache::release(foreign);
    CHECK(cache::blocks_kept() == kept + 1);
    void* taken = cache::allocate(5000);
    CHECK(taken == foreign);
    std::free(taken);  // every block is malloc's: free() takes one from the cache
    cache::release(ours);
    CHECK(cache::blocks_kept() == kept + 1);
    std::free(cache::allocate(5000));

    cache::release(std::malloc(7000));  // a size nobody asked the cache for
    cache::release(std::malloc(100));
    cache::release(std::malloc(100 * 1024));
    cache::release(nullptr);
    CHECK(cache::blocks_kept() == kept);
}

TEST_CASE("block cache: one size keeps at most same_size_depth blocks, a thread at most max_bytes_kept bytes") {
    const std::size_t sizes[] = {1500, 30000, 31000, 32000};
    auto drain = [&] {  // whatever is kept for these sizes now, freed
        for (std::size_t size : sizes)
            for (int i = 0; i < 40; ++i) std::free(cache::allocate(size));
    };
    drain();
    const std::size_t kept = cache::blocks_kept(), bytes = cache::bytes_kept();
    std::vector<std::vector<void*>> blocks(std::size(sizes));
    for (std::size_t i = 0; i < std::size(sizes); ++i)
        for (int n = 0; n < 40; ++n) blocks[i].push_back(cache::allocate(sizes[i]));
    for (void* block : blocks[0]) cache::release(block);
    CHECK(cache::blocks_kept() == kept + cache::same_size_depth);  // the depth bounds one size
    CHECK(cache::bytes_kept() == bytes + cache::same_size_depth * cache::malloc_usable_for(1500));
    for (std::size_t i = 1; i < std::size(sizes); ++i)
        for (void* block : blocks[i]) cache::release(block);
    CHECK(cache::bytes_kept() <= cache::max_bytes_kept);  // the bytes bound them all
    CHECK(cache::bytes_kept() + cache::malloc_usable_for(30000) > cache::max_bytes_kept);
    drain();
    CHECK(cache::blocks_kept() == kept);
    CHECK(cache::bytes_kept() == bytes);
}

TEST_CASE("block cache: each thread has its own blocks") {
    void* mine = cache::allocate(5000);
    cache::release(mine);
    const std::size_t kept = cache::blocks_kept();
    void* other_got = nullptr;
    std::size_t other_kept_before = 1;
    std::thread([&] {
        other_kept_before = cache::blocks_kept();
        other_got = cache::allocate(5000);
        cache::release(other_got);
    }).join();
    CHECK(other_kept_before == 0);
    CHECK(other_got != mine);
    CHECK(cache::blocks_kept() == kept);
    CHECK(cache::allocate(5000) == mine);
}
