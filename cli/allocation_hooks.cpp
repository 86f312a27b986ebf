// Routes the binary's heap blocks of 1-32 KiB through a per-thread cache
// (common/thread_block_cache.hpp): operator new, which also makes Asio's coroutine frames
// (BOOST_ASIO_DISABLE_STD_ALIGNED_ALLOC sends them here instead of to aligned_alloc), and
// OpenSSL's allocations, whose record buffers come and go with each record.
//
// Only in the binary, and not in sanitizer builds (TLSFAULT_BLOCK_CACHE unset there): ASan must
// see every allocation and free to catch a use after free.
#include "common/thread_block_cache.hpp"

#include <openssl/crypto.h>

#include <cstdlib>
#include <new>

#if TLSFAULT_BLOCK_CACHE

namespace {

void* new_block(std::size_t size) {
    if (size == 0) size = 1;
    for (;;) {
        if (void* block = tlsfault::block_cache::allocate(size)) return block;
        const std::new_handler handler = std::get_new_handler();
        if (handler == nullptr) throw std::bad_alloc();
        handler();
    }
}
void* new_block_or_null(std::size_t size) noexcept {
    try {
        return new_block(size);
    } catch (...) {
        return nullptr;
    }
}

void* openssl_malloc(std::size_t size, const char*, int) { return tlsfault::block_cache::allocate(size); }
// Every block is malloc's, so realloc() may grow or shrink one taken from the cache.
void* openssl_realloc(void* block, std::size_t size, const char*, int) {
    return block == nullptr ? tlsfault::block_cache::allocate(size) : std::realloc(block, size);
}
void openssl_free(void* block, const char*, int) { tlsfault::block_cache::release(block); }

// Before any C++ static initializer: Asio's SSL initialisation already makes OpenSSL allocate,
// and OpenSSL takes new functions only before its first allocation.
__attribute__((constructor(101))) void route_openssl_allocations() {
    CRYPTO_set_mem_functions(openssl_malloc, openssl_realloc, openssl_free);
}

}  // namespace

void* operator new(std::size_t size) { return new_block(size); }
void* operator new[](std::size_t size) { return new_block(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return new_block_or_null(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return new_block_or_null(size); }
void operator delete(void* block) noexcept { tlsfault::block_cache::release(block); }
void operator delete[](void* block) noexcept { tlsfault::block_cache::release(block); }
// A sized delete names the size new was asked for: a small one was malloc's own, and goes back
// without the usable-size lookup that release() needs for a block of unknown size.
void operator delete(void* block, std::size_t size) noexcept {
    if (size <= tlsfault::block_cache::smallest_kept) return std::free(block);
    tlsfault::block_cache::release(block);
}
void operator delete[](void* block, std::size_t size) noexcept {
    if (size <= tlsfault::block_cache::smallest_kept) return std::free(block);
    tlsfault::block_cache::release(block);
}
void operator delete(void* block, const std::nothrow_t&) noexcept { tlsfault::block_cache::release(block); }
void operator delete[](void* block, const std::nothrow_t&) noexcept { tlsfault::block_cache::release(block); }

#endif
