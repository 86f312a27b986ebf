// What tlsfault saw of a client besides its verdict, gathered for judging `expect`
// (scenarios/model/expect.hpp): the versions and ALPN its ClientHello offered, the revocation and
// AIA fetches linked to the connection, and whether a sibling connection from the same client
// was served (a browser's speculative connection, closed unused, is then not judged).
#pragma once

#include "proxy/core/linked_fetches.hpp"

#include "scenarios/model/expect.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

namespace tlsfault::proxy {

class Connection;
struct ClientHello;
struct ScenarioConnection;

/// The connections that were served a request, by client address and host: bounded, thread-safe.
class ServedSiblings {
public:
    using Clock = std::chrono::steady_clock;
    /// How close in time a served sibling must be to make an unused connection speculative.
    static constexpr std::chrono::seconds window{60};

    void served(const std::string& client, const std::string& host, std::uint64_t conn);
    /// True when another connection from `client` to `host` was served within `window`.
    bool sibling_served(const std::string& client, const std::string& host, std::uint64_t conn) const;

private:
    struct Served {
        std::string client;
        std::string host;
        std::uint64_t conn;
        Clock::time_point at;
    };
    mutable std::mutex mutex_;
    std::deque<Served> served_;
};

/// Where a connection's judge finds the shared facts (set by begin_scenario).
struct JudgeSources {
    LinkedFetches* fetches = nullptr;
    ServedSiblings* siblings = nullptr;
};

/// The ClientHello's facts (highest version offered, ALPN offered) and the rule's minimum
/// version, kept in `sc` for judging. `hello` nullptr: a plain-HTTP request (nothing known).
void note_client_facts(ScenarioConnection& sc, const ClientHello* hello);

/// Adds what tlsfault saw to `observed` just before it is judged: the ClientHello facts, the
/// fetches linked to the connection, and (accepted) records it as served or (ended unused
/// after the handshake) whether a sibling was served.
void complete_observation(const Connection& conn, const ScenarioConnection& sc, scenarios::ObservedVerdict& observed);

}  // namespace tlsfault::proxy
