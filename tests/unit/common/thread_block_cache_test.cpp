// The per-thread block cache (common/thread_block_cache.hpp) on its own: which sizes it keeps,
// what it hands back, its bounds, and blocks that malloc made without it.
#include "common/thread_block_cache.hpp"

#include <doctest/doctest.h>
#include <malloc.h>

#include <cstdlib>
#include <thread>
#include <vector>

namespace cache = tlsfault::block_cache;

TEST_CASE("block cache: sizes above 1 KiB round up a quarter octave at most, others are left as asked") {
    CHECK(cache::rounded_size(100) == 100);
    CHECK(cache::rounded_size(1024) == 1024);
    CHECK(cache::rounded_size(1025) == 1280);
    CHECK(cache::rounded_size(1280) == 1280);
    CHECK(cache::rounded_size(1281) == 1536);
    CHECK(cache::rounded_size(2048) == 2048);
    CHECK(cache::rounded_size(2049) == 2560);
    CHECK(cache::rounded_size(17 * 1024) == 20 * 1024);
    CHECK(cache::rounded_size(32 * 1024) == 32 * 1024);
    CHECK(cache::rounded_size(32 * 1024 + 1) == 32 * 1024 + 1);
    for (std::size_t size = cache::smallest_kept + 1; size <= cache::largest_kept; ++size) {
        const std::size_t rounded = cache::rounded_size(size);
        REQUIRE(rounded >= size);
        REQUIRE(rounded * 4 <= size * 5);
    }
}

TEST_CASE("block cache: a block given back is the next one handed out for a size on its shelf") {
    void* first = cache::allocate(3000);
    REQUIRE(first != nullptr);
    CHECK(malloc_usable_size(first) >= 3072);
    const std::size_t kept = cache::blocks_kept();
    cache::release(first);
    CHECK(cache::blocks_kept() == kept + 1);
    void* again = cache::allocate(2900);  // the same 3 KiB shelf
    CHECK(again == first);
    CHECK(cache::blocks_kept() == kept);
    cache::release(again);
}

TEST_CASE("block cache: a block malloc made goes to the largest shelf it fills, small and huge ones are freed") {
    void* foreign = std::malloc(3000);  // usable about 3000: fills the 2560 shelf, not 3072
    const std::size_t kept = cache::blocks_kept();
    cache::release(foreign);
    CHECK(cache::blocks_kept() == kept + 1);
    void* taken = cache::allocate(2560);
    CHECK(taken == foreign);
    CHECK(malloc_usable_size(taken) >= 2560);
    std::free(taken);  // every block is malloc's: free() takes one from the cache

    cache::release(std::malloc(100));
    cache::release(std::malloc(100 * 1024));
    cache::release(nullptr);
    CHECK(cache::blocks_kept() == kept);
}

TEST_CASE("block cache: a shelf keeps at most shelf_depth blocks, half as many above 4 KiB") {
    auto drain = [] {  // whatever the 2 KiB and 20 KiB shelves hold now, freed
        for (int i = 0; i < 40; ++i) std::free(cache::allocate(2000));
        for (int i = 0; i < 40; ++i) std::free(cache::allocate(20000));
    };
    drain();
    const std::size_t kept = cache::blocks_kept();
    std::vector<void*> small, large;
    for (int i = 0; i < 40; ++i) small.push_back(cache::allocate(2000));
    for (int i = 0; i < 40; ++i) large.push_back(cache::allocate(20000));
    for (void* block : small) cache::release(block);
    for (void* block : large) cache::release(block);
    CHECK(cache::blocks_kept() == kept + cache::shelf_depth + cache::shelf_depth / 2);
    drain();
    CHECK(cache::blocks_kept() == kept);
}

TEST_CASE("block cache: each thread has its own shelves") {
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
