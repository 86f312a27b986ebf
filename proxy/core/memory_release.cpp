// See memory_release.hpp. The trim runs on the I/O thread that closed the last connection: with
// nothing else live, its few milliseconds delay no one.
#include "proxy/core/memory_release.hpp"

#include <atomic>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace tlsfault::proxy {
namespace {

std::atomic<int> live{0};
std::atomic<int> peak{0};  // most live at once since the last trim

}  // namespace

void connection_opened() {
    const int now = ++live;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
}

void keep_heap_top_for_reuse() {
#if defined(__GLIBC__)
    mallopt(M_TRIM_THRESHOLD, static_cast<int>(kept_heap_top));
#endif
}

void connection_closed() {
    if (--live != 0 || peak.load() < burst_size) return;
    peak = 0;
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

}  // namespace tlsfault::proxy
