// Connections as the control API shows them: one JSON record per connection, folded from the
// numbered events in the EventFeed (the same lines the event log writes), so there is no second
// bookkeeping path on the traffic side. Folding happens on the API's side, when it is asked
// (and on a timer), never on a connection's thread. Bounded: the oldest records drop out.
#pragma once

#include "proxy/api/metrics.hpp"
#include "proxy/events/event_feed.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace tlsfault::proxy {

/// What `connections` and `connections/wait` select on; empty fields match anything.
struct ConnectionFilter {
    std::string host;         ///< the connection's host (SNI/Host/CONNECT target) or SNI
    std::string scenario;     ///< the scenario whose rule chose its behaviour
    std::uint64_t since = 0;  ///< only connections with a greater id
    bool closed = false;      ///< wait: complete only once the connection has closed (all its requests recorded)
};

class ConnectionStore {
public:
    explicit ConnectionStore(const EventFeed& feed, std::size_t capacity = 5'000) : feed_(feed), capacity_(capacity) {}

    /// Folds every event the feed got since the last call. Thread-safe.
    void catch_up();

    /// The newest `limit` matching records, oldest first.
    boost::json::array list(const ConnectionFilter& filter, std::size_t limit);
    /// One record; nullopt when unknown (or dropped).
    std::optional<boost::json::object> find(std::uint64_t id);
    /// The newest matching record if it is complete (verdict, and expectation when its rule
    /// has one); nullopt otherwise (none yet, or the newest is still running).
    std::optional<boost::json::object> newest_complete(const ConnectionFilter& filter);
    /// The highest connection id seen so far.
    std::uint64_t last_id();
    /// The event counters (every event folded so far) as Prometheus text.
    std::string metrics_text();

private:
    void fold(const boost::json::object& event);
    static bool matches(const boost::json::object& record, const ConnectionFilter& filter);

    const EventFeed& feed_;
    std::size_t capacity_;
    std::mutex mutex_;
    std::uint64_t folded_ = 0;  ///< last event seq folded
    std::map<std::uint64_t, boost::json::object> records_;
    MetricCounters metrics_;
};

/// True when a record has everything `connections/wait` waits for (with `closed`, its close too).
bool connection_complete(const boost::json::object& record, bool closed = false);

}  // namespace tlsfault::proxy
