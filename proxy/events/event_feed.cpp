// The in-memory event ring: a deque under a mutex; readers copy what they asked for.
#include "proxy/events/event_feed.hpp"

#include <algorithm>

namespace tlsfault::proxy {

void EventFeed::push(std::uint64_t seq, std::string line) {
    std::lock_guard lock(mutex_);
    events_.push_back({seq, std::move(line)});
    while (events_.size() > capacity_) events_.pop_front();
}

std::vector<FeedEvent> EventFeed::since(std::uint64_t after, std::size_t limit) const {
    std::lock_guard lock(mutex_);
    std::vector<FeedEvent> out;
    // Sequence numbers are gapless, so the first wanted event's place is arithmetic.
    if (events_.empty() || after >= events_.back().seq) return out;
    std::size_t start = after < events_.front().seq ? 0 : static_cast<std::size_t>(after + 1 - events_.front().seq);
    for (std::size_t i = start; i < events_.size() && out.size() < limit; ++i) out.push_back(events_[i]);
    return out;
}

std::uint64_t EventFeed::last_seq() const {
    std::lock_guard lock(mutex_);
    return events_.empty() ? 0 : events_.back().seq;
}

std::uint64_t EventFeed::first_seq() const {
    std::lock_guard lock(mutex_);
    return events_.empty() ? 0 : events_.front().seq;
}

}  // namespace tlsfault::proxy
