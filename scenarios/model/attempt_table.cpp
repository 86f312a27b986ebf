// A hash collision between two keys (64 bits) merges their counts: harmless in a lab tool, and
// it keeps an entry at a few dozen bytes whatever the client sent as a host name.
#include "scenarios/model/attempt_table.hpp"

#include <functional>

namespace tlsfault::scenarios {

AttemptTable::AttemptTable(std::size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

std::uint64_t AttemptTable::increment(std::string_view key) {
    const std::uint64_t hash = std::hash<std::string_view>{}(key);
    if (auto found = index_.find(hash); found != index_.end()) {
        recent_.splice(recent_.begin(), recent_, found->second);  // now the most recent
        return ++found->second->count;
    }
    if (index_.size() >= capacity_) {
        index_.erase(recent_.back().key);
        recent_.pop_back();
    }
    recent_.push_front(Entry{hash, 1});
    index_.emplace(hash, recent_.begin());
    return 1;
}

}  // namespace tlsfault::scenarios
