// Which revocation and AIA fetches the revocation listener linked to which TLS connection: the
// revocation listener notes each fetch, the scenario judge reads them when it judges `expect`
// (a client that fetched the CRL and rejected passes; one that never fetched and accepted
// "does not check revocation"). Bounded and thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>

namespace tlsfault::proxy {

class LinkedFetches {
public:
    enum class Kind { revocation, aia };

    /// What was fetched on behalf of one connection.
    struct Seen {
        bool revocation = false;  ///< a CRL or an OCSP response
        bool aia = false;         ///< a CA certificate (AIA caIssuers)
    };

    /// Records a fetch linked to connection `conn` (0: linked to none, ignored).
    void note(std::uint64_t conn, Kind kind);
    /// The fetches linked to `conn` so far.
    Seen of(std::uint64_t conn) const;

    static constexpr std::size_t max_connections = 4096;  ///< the oldest records go first

private:
    mutable std::mutex mutex_;
    std::deque<std::pair<std::uint64_t, Seen>> seen_;
};

}  // namespace tlsfault::proxy
