// The recent events in memory, numbered: what the control API reads (`events?since=N`, the SSE
// stream, the connection store). Fed by EventLog::write, the one place every event passes, so
// the API never keeps a second account of what happened. Bounded: the oldest lines drop out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace tlsfault::proxy {

/// One event line with its sequence number (1, 2, ...; gapless, in log order).
struct FeedEvent {
    std::uint64_t seq = 0;
    std::string line;  ///< the JSON object as written to the log, without newline
};

class EventFeed {
public:
    /// Keeps at most `capacity` events (the newest).
    explicit EventFeed(std::size_t capacity = 20'000) : capacity_(capacity) {}

    /// Appends `line` as event number `seq` (called by EventLog under its lock, so in order).
    void push(std::uint64_t seq, std::string line);

    /// Events with seq > `after`, oldest first, at most `limit`. Thread-safe.
    std::vector<FeedEvent> since(std::uint64_t after, std::size_t limit = SIZE_MAX) const;

    /// The newest sequence number (0 before the first event).
    std::uint64_t last_seq() const;
    /// The oldest sequence number still held (0 when empty): a reader that is further behind missed some.
    std::uint64_t first_seq() const;

private:
    mutable std::mutex mutex_;
    std::size_t capacity_;
    std::deque<FeedEvent> events_;
};

}  // namespace tlsfault::proxy
