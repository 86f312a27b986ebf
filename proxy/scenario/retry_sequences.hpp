// `expect: {retry_then_succeed: N, within: W}` on a request rule, judged when the sequence ends:
// each failed attempt opens (or extends) a watch for the client and host; the client's next
// success in the same scenario passes it (or fails it when it came after attempt N); a watch that
// sees no new attempt within W fails ("the client did not come back"). Thread-safe.
#pragma once

#include "scenarios/model/expect.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>

namespace tlsfault::proxy {

struct ScenarioSet;

/// A sequence that ended, to be written as its `expectation` event.
struct EndedSequence {
    std::string scenario;
    std::string rule;
    scenarios::Expect expect;
    std::uint64_t conn = 0;  ///< the connection to write it on: the success, or the last failure
    scenarios::Judgement judgement;
    std::uint64_t attempt = 0;  ///< the attempt that succeeded, or the last that failed
};

class RetrySequences {
public:
    using Key = std::tuple<std::string, std::string, std::string>;  ///< scenario, client address, host

    /// Attempt `attempt` of `rule` failed on connection `conn`: returns the watch's generation,
    /// for expired() once the window is over.
    std::uint64_t failed(const Key& key, const std::string& rule, const scenarios::Expect& expect, std::uint64_t conn,
                         std::uint64_t attempt);
    /// A request of the same scenario, client and host succeeded: the sequence's judgement, if one was watched.
    std::optional<EndedSequence> succeeded(const Key& key, std::uint64_t conn, std::uint64_t attempt);
    /// The window of generation `generation` is over: the failed sequence, unless the client came back since.
    std::optional<EndedSequence> expired(const Key& key, std::uint64_t generation);

private:
    struct Watch {
        std::string rule;
        scenarios::Expect expect;
        std::uint64_t conn = 0;
        std::uint64_t last_failed = 0;
        std::uint64_t generation = 0;
    };
    std::mutex mutex_;
    std::map<Key, Watch> watches_;
    std::uint64_t generations_ = 0;
    static constexpr std::size_t max_watches = 4096;
};

}  // namespace tlsfault::proxy
