// The JSON-lines event log (--events FILE, "-" for stdout): one object per line, written whole
// and flushed at once so that a reader (a test, `tail -f`, jq) never sees half an event.
#pragma once

#include "proxy/events/event_feed.hpp"
#include "proxy/events/json_line.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

namespace tlsfault::proxy {

class EventLog {
public:
    /// "" disables the log; "-" writes to stdout; anything else is a file, truncated. Throws
    /// std::runtime_error naming the path when it cannot be opened (load time). `copy_path`, if
    /// not "", is a second file that gets every line too (the repro bundle's events.jsonl).
    explicit EventLog(const std::string& path, const std::string& copy_path = {});
    ~EventLog();
    EventLog(const EventLog&) = delete;
    EventLog& operator=(const EventLog&) = delete;

    bool enabled() const { return file_ != nullptr || copy_ != nullptr; }
    /// Whether any sink (file, copy, the API's feed) would read an event: when none does,
    /// connections build muted lines and pay nothing for their events.
    bool listened() const { return listened_.load(std::memory_order_relaxed); }
    bool to_stdout() const { return file_ == stdout; }
    /// Thread-safe; a write error disables the log rather than stopping traffic.
    void write(const JsonLine& line);
    void flush();

    /// Every event from now on is also numbered and kept in `feed` (the control API's view);
    /// set before the listeners start. nullptr: none.
    void attach_feed(EventFeed* feed) {
        feed_ = feed;
        update_listened();
    }

private:
    void update_listened() { listened_ = file_ != nullptr || copy_ != nullptr || feed_ != nullptr; }

    std::mutex mutex_;
    std::atomic<bool> listened_{false};
    std::FILE* file_ = nullptr;
    std::FILE* copy_ = nullptr;  ///< the second sink; never stdout
    EventFeed* feed_ = nullptr;
    std::uint64_t seq_ = 0;
};

}  // namespace tlsfault::proxy
