// Prometheus counters folded from the event feed (the same events the log writes): connections
// by listener, verdicts by outcome and alert, expectations by result, time to verdict, bytes
// relayed, revocation fetches. Rendered in the Prometheus text format. Internal to proxy/api/.
#pragma once

#include <boost/json/object.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace tlsfault::proxy {

class MetricCounters {
public:
    /// Counts one event (any event; most are ignored).
    void fold(const boost::json::object& event);
    /// The counters as Prometheus text (HELP/TYPE lines included).
    std::string render() const;

    static constexpr std::array<double, 10> buckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};

private:
    std::map<std::string, std::uint64_t> connections_;                         ///< by listener
    std::map<std::pair<std::string, std::string>, std::uint64_t> verdicts_;    ///< (outcome, alert)
    std::map<std::string, std::uint64_t> expectations_;                        ///< by result
    std::map<std::pair<std::string, std::string>, std::uint64_t> revocation_;  ///< (resource, answered)
    std::uint64_t bytes_from_client_ = 0, bytes_to_client_ = 0;
    std::array<std::uint64_t, buckets.size()> duration_buckets_{};
    std::uint64_t duration_count_ = 0;
    double duration_sum_ = 0;
};

/// `text` escaped as a Prometheus label value.
std::string prometheus_label(const std::string& text);

}  // namespace tlsfault::proxy
