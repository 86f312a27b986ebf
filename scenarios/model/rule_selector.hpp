// Choosing the rule for a connection and for each request: first matching rule wins, in each
// of the two phases. Counts attempts per client and host for sequencing, in bounded tables (the
// least recently used key goes first). Thread-safe; one per loaded scenario (a reload makes a
// new one, so counts start again).
#pragma once

#include "scenarios/model/attempt_table.hpp"
#include "scenarios/model/scenario.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace tlsfault::scenarios {

/// The rule picked for a connection (at the ClientHello), and which of its tcp faults this connection gets.
struct ConnectionChoice {
    const Rule* rule = nullptr;            ///< nullptr: no rule; the engine's default applies
    std::uint64_t attempt = 0;             ///< this connection's attempt number (client + host)
    std::vector<const FaultSpec*> faults;  ///< rule->tcp entries whose probability drew true
};

class RuleSelector {
public:
    /// Keys each attempt table holds by default (per `per` kind, for connections and requests).
    static constexpr std::size_t default_table_capacity = 16384;

    explicit RuleSelector(std::shared_ptr<const Scenario> scenario, std::size_t table_capacity = default_table_capacity);

    /// Connection phase. Call once per connection as soon as its target host is known: after
    /// the ClientHello for TLS (SNI, else the CONNECT host), or after the request line of a
    /// plain-HTTP proxy request. Counts the attempt (sets facts.attempt), then returns the first
    /// rule that has no request conditions, whose connection conditions hold, whose sequence
    /// fires for this attempt, and that acts on the connection (certificate, chain, tls,
    /// client_cert, tcp). Rules with only `http` wait for the request phase.
    ConnectionChoice on_connection(ConnectionFacts& facts);

    /// Request phase: counts the request, then returns the first rule with an `http` action whose
    /// every condition holds and whose sequence fires for this request's number; nullptr: the
    /// engine's default answer (origin page, or forward). `request_attempt`, when given,
    /// receives this request's number (client + host, as `sequence` counts it).
    const Rule* on_request(const ConnectionFacts& facts, const RequestFacts& request, std::uint64_t* request_attempt = nullptr);

    const Scenario& scenario() const { return *scenario_; }
    const std::shared_ptr<const Scenario>& scenario_ptr() const { return scenario_; }

    /// Keys held across all tables now (bounded by 6 × the table capacity).
    std::size_t tracked_keys();

    /// True when some rule's `match.host` matches `host` (the scenario names it).
    bool names_host(const std::string& host) const;

    /// The rules that can match a host, by host: those naming it literally, merged in rule order
    /// with those whose host condition is a wildcard or absent. With 1,000 host rules a new
    /// connection looks at its own few instead of scanning all of them.
    struct HostIndex {
        std::unordered_map<std::string, std::vector<std::size_t>> literal;  ///< lower-case host -> rule positions
        std::vector<std::size_t> other;                                     ///< rules with a wildcard host or none, in order
    };

    /// The index above: which hosts this scenario's rules name literally.
    const HostIndex& host_index() const { return index_; }
    /// True when a connection to any host may concern this scenario: a rule whose host condition
    /// is a wildcard or absent, or a sequence counted per client or over all connections (those
    /// count connections to every host). Otherwise only the hosts in host_index().literal do.
    bool concerns_every_host() const { return every_host_; }
    /// True when some rule's `match.host` is a wildcard (names_host must try its globs).
    bool has_wildcard_host() const { return wildcard_host_; }

private:
    /// One count per `per` kind: client+host, host and client in bounded tables, `all` a number.
    struct Counters {
        explicit Counters(std::size_t capacity) : client_host(capacity), host(capacity), client(capacity) {}
        AttemptTable client_host, host, client;
        std::uint64_t all = 0;
    };
    std::uint64_t count(Counters& counters, const std::string& client, const std::string& host, std::uint64_t (&per_kind)[4]);

    std::shared_ptr<const Scenario> scenario_;
    HostIndex index_;
    bool every_host_ = false;
    bool wildcard_host_ = false;
    std::mutex mutex_;
    Counters connections_;  ///< connections so far
    Counters requests_;     ///< requests so far
};

}  // namespace tlsfault::scenarios
