// The bookkeeping of an idle-connection pool, apart from any socket: items filed under a key,
// handed out newest first, bounded per key and in total, and forgotten after an idle timeout.
// Not thread-safe: UpstreamPool (upstream_pool.hpp) holds it under its mutex. A template so the
// unit tests can count plain values instead of opening connections.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tlsfault::proxy {

/// How much an idle pool may hold, and for how long.
struct PoolLimits {
    std::size_t per_key = 64;                        ///< idle connections kept for one upstream key (nginx in the bench: `keepalive 64`)
    std::size_t total = 512;                         ///< idle connections kept in all
    std::chrono::milliseconds idle_timeout{20'000};  ///< below common server keep-alive limits
};

template <class Item>
class IdleBook {
public:
    using Clock = std::chrono::steady_clock;

    explicit IdleBook(PoolLimits limits) : limits_(limits) {}

    /// The newest item filed under `key` that has not outlived the idle timeout; older expired
    /// ones under the key are dropped on the way. `filed`, when given, receives when it was filed.
    std::optional<Item> take(const std::string& key, Clock::time_point now, Clock::time_point* filed = nullptr) {
        auto it = shelves_.find(key);
        if (it == shelves_.end()) return std::nullopt;
        auto& shelf = it->second;
        std::optional<Item> found;
        while (!shelf.empty() && !found) {
            Entry entry = std::move(shelf.back());
            shelf.pop_back();
            --count_;
            if (now - entry.since < limits_.idle_timeout) {
                found = std::move(entry.item);
                if (filed) *filed = entry.since;
            }
        }
        // An emptied shelf stays (the once-a-second sweep removes it): the connection usually
        // comes back after its response, and re-creating the shelf cost four allocations.
        return found;
    }

    /// Files `item`; what no longer fits (the key's oldest, then the pool's oldest) is returned
    /// so the caller can close it, outside its lock if it likes, with what expired (looked for
    /// at most once a second: the sweep visits every key).
    std::vector<Item> put(const std::string& key, Item item, Clock::time_point now) {
        std::vector<Item> evicted;
        if (now - last_sweep_ >= std::chrono::seconds(1)) {
            evicted = expire(now);
            last_sweep_ = now;
        }
        if (limits_.per_key == 0 || limits_.total == 0) {
            evicted.push_back(std::move(item));
            return evicted;
        }
        if (auto it = shelves_.find(key); it != shelves_.end() && it->second.size() >= limits_.per_key) {
            evicted.push_back(std::move(it->second.front().item));
            it->second.pop_front();
            --count_;
        }
        if (count_ >= limits_.total) evict_oldest(evicted);  // may erase a shelf: look the key up after
        shelves_[key].push_back(Entry{std::move(item), now});
        ++count_;
        return evicted;
    }

    /// Removes every item that has outlived the idle timeout and returns them.
    std::vector<Item> expire(Clock::time_point now) {
        std::vector<Item> expired;
        for (auto it = shelves_.begin(); it != shelves_.end();) {
            auto& shelf = it->second;
            while (!shelf.empty() && now - shelf.front().since >= limits_.idle_timeout) {
                expired.push_back(std::move(shelf.front().item));
                shelf.pop_front();
                --count_;
            }
            it = shelf.empty() ? shelves_.erase(it) : std::next(it);
        }
        return expired;
    }

    /// Whether take(key, now) would find an item (the newest under the key has not expired).
    bool has_fresh(const std::string& key, Clock::time_point now) const {
        auto it = shelves_.find(key);
        return it != shelves_.end() && !it->second.empty() && now - it->second.back().since < limits_.idle_timeout;
    }

    std::size_t size() const { return count_; }
    std::size_t size(const std::string& key) const {
        auto it = shelves_.find(key);
        return it == shelves_.end() ? 0 : it->second.size();
    }

private:
    struct Entry {
        Item item;
        Clock::time_point since;
    };

    /// The oldest item of the whole pool (each shelf is oldest first, so one look per key).
    void evict_oldest(std::vector<Item>& evicted) {
        auto oldest = shelves_.end();
        for (auto it = shelves_.begin(); it != shelves_.end(); ++it)
            if (!it->second.empty() && (oldest == shelves_.end() || it->second.front().since < oldest->second.front().since)) oldest = it;
        if (oldest == shelves_.end()) return;
        evicted.push_back(std::move(oldest->second.front().item));
        oldest->second.pop_front();
        --count_;
        if (oldest->second.empty()) shelves_.erase(oldest);
    }

    PoolLimits limits_;
    std::map<std::string, std::deque<Entry>> shelves_;
    std::size_t count_ = 0;
    Clock::time_point last_sweep_{};
};

}  // namespace tlsfault::proxy
