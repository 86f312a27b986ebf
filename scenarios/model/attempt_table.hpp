// Attempt counters with bounded memory: a least-recently-used table of counts keyed by a 64-bit
// hash of the (already normalised and length-limited) key. A flood of distinct hosts evicts
// only the keys nobody used for longest; a sequence in use is never reset by others' traffic.
#pragma once

#include <cstdint>
#include <list>
#include <string_view>
#include <unordered_map>

namespace tlsfault::scenarios {

class AttemptTable {
public:
    /// Keys kept at most; the least recently counted one goes when a new key needs room.
    explicit AttemptTable(std::size_t capacity);

    /// Counts one more attempt for `key`; returns the count (1 for a key not held).
    std::uint64_t increment(std::string_view key);

    std::size_t size() const { return index_.size(); }

private:
    struct Entry {
        std::uint64_t key;
        std::uint64_t count;
    };
    std::size_t capacity_;
    std::list<Entry> recent_;  ///< most recently counted first
    std::unordered_map<std::uint64_t, std::list<Entry>::iterator> index_;
};

}  // namespace tlsfault::scenarios
