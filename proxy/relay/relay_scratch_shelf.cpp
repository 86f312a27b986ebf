// The per-thread shelf of relay scratch buffers; see relay_scratch_shelf.hpp.
#include "proxy/relay/relay_scratch_shelf.hpp"

#include <array>

namespace tlsfault::proxy {
namespace {

struct Shelf {
    std::array<std::unique_ptr<char[]>, relay_scratch_shelf_size> buffers;
    std::size_t count = 0;
};

Shelf& this_thread_shelf() {
    thread_local Shelf shelf;
    return shelf;
}

}  // namespace

std::unique_ptr<char[]> take_relay_scratch() {
    auto& shelf = this_thread_shelf();
    if (shelf.count > 0) return std::move(shelf.buffers[--shelf.count]);
    return std::unique_ptr<char[]>(new char[relay_chunk_size]);
}

void shelve_relay_scratch(std::unique_ptr<char[]> buffer) {
    auto& shelf = this_thread_shelf();
    if (shelf.count < shelf.buffers.size()) shelf.buffers[shelf.count++] = std::move(buffer);
}

}  // namespace tlsfault::proxy
