// See retry_sequences.hpp.
#include "proxy/scenario/retry_sequences.hpp"

namespace tlsfault::proxy {

std::uint64_t RetrySequences::failed(const Key& key, const std::string& rule, const scenarios::Expect& expect, std::uint64_t conn,
                                     std::uint64_t attempt) {
    std::lock_guard lock(mutex_);
    if (watches_.size() >= max_watches && !watches_.count(key)) watches_.erase(watches_.begin());
    auto& w = watches_[key];
    w.rule = rule;
    w.expect = expect;
    w.conn = conn;
    w.last_failed = attempt;
    w.generation = ++generations_;
    return w.generation;
}

std::optional<EndedSequence> RetrySequences::succeeded(const Key& key, std::uint64_t conn, std::uint64_t attempt) {
    std::lock_guard lock(mutex_);
    auto it = watches_.find(key);
    if (it == watches_.end()) return std::nullopt;
    const Watch w = std::move(it->second);
    watches_.erase(it);
    return EndedSequence{std::get<0>(key), w.rule, w.expect, conn, scenarios::judge_sequence(w.expect, attempt, w.last_failed), attempt};
}

std::optional<EndedSequence> RetrySequences::expired(const Key& key, std::uint64_t generation) {
    std::lock_guard lock(mutex_);
    auto it = watches_.find(key);
    if (it == watches_.end() || it->second.generation != generation) return std::nullopt;
    const Watch w = std::move(it->second);
    watches_.erase(it);
    return EndedSequence{std::get<0>(key), w.rule, w.expect, w.conn, scenarios::judge_sequence(w.expect, std::nullopt, w.last_failed),
                         w.last_failed};
}

}  // namespace tlsfault::proxy
