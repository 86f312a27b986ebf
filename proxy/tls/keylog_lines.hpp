// The key log lines of recent connections, kept in memory by client random, so the control API
// can hand out one connection's lines (GET connections/{id}/keylog) without reading the key log
// file. Filled by the key log callback next to the file writes; bounded in connections and in
// lines per connection (the client chooses its random, so a replayed one cannot grow an entry).
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tlsfault::proxy {

/// NSS key log lines ("LABEL <client random hex> <secret hex>") by client random.
class KeylogLines {
public:
    static constexpr std::size_t max_lines_per_random = 16;  ///< TLS 1.3 writes 5 (6 with early data)

    explicit KeylogLines(std::size_t capacity = 5'000) : capacity_(capacity ? capacity : 1) {}

    /// Files `line` under its client random (the second field, lowercased); a line of another
    /// shape is ignored. The oldest random is dropped beyond `capacity`. Thread-safe.
    void add(std::string_view line);

    /// The lines written for `client_random_hex` (either case), in order; empty when none were
    /// written or they were dropped. Thread-safe.
    std::vector<std::string> lines_for(std::string_view client_random_hex) const;

private:
    mutable std::mutex mutex_;
    std::size_t capacity_;
    std::unordered_map<std::string, std::vector<std::string>> by_random_;
    std::deque<std::string> order_;  ///< randoms, oldest first
};

/// The client random of an NSS key log line, lowercased; "" when the line is not of that shape.
std::string keylog_client_random(std::string_view line);

}  // namespace tlsfault::proxy
