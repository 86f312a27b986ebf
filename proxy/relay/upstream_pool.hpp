// The engine's upstream keep-alive pool: idle TLS connections to real servers, filed by what
// makes them interchangeable (UpstreamKey), plus the last good TLS session per key so a new
// connection resumes instead of doing a full handshake. Shared by every thread: one mutex,
// held only to file or take an entry.
#pragma once

#include "proxy/core/engine_config.hpp"
#include "proxy/relay/idle_book.hpp"

#include <openssl/ssl.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace tlsfault::proxy {

class IdleWatch;
class TlsStream;

/// What makes two upstream connections interchangeable: the same server, the same name sent and
/// checked, the same trust. ALPN (http/1.1) and the absence of a client certificate are the
/// same for every upstream connection tlsfault makes, so they need no field.
struct UpstreamKey {
    std::string host;
    std::uint16_t port = 0;
    std::string sni;  ///< the name sent and checked (an IP address is sent as no SNI)
    UpstreamVerify verify = UpstreamVerify::system;
    std::string ca_file;  ///< for UpstreamVerify::ca_file
    /// The io_context the connection's socket belongs to: a pooled connection is lent only to
    /// clients on the same context, so a socket is only ever used by the thread that runs it.
    const void* context = nullptr;

    /// One string that is equal exactly when the keys are.
    std::string text() const;
};

/// One upstream TLS connection and the identity the timeline shows for it.
struct PooledUpstream {
    std::unique_ptr<TlsStream> stream;
    std::uint64_t id = 0;       ///< unique in the process; `upstream_conn` in events
    std::string address;        ///< the address connected to, as HOST:PORT
    bool session_kept = false;  ///< its TLS session was remembered for resumption (once is enough)
    /// The deadline of its waits for a response header (read_header.hpp): made at the first, then
    /// kept with the connection, whose timer it holds.
    std::unique_ptr<IdleWatch> response_watch;

    PooledUpstream();
    PooledUpstream(PooledUpstream&&) noexcept;
    PooledUpstream& operator=(PooledUpstream&&) noexcept;
    ~PooledUpstream();
};

/// A new upstream connection id (process-wide, from 1).
std::uint64_t next_upstream_id();

class UpstreamPool {
public:
    explicit UpstreamPool(PoolLimits limits = {});
    ~UpstreamPool();
    UpstreamPool(const UpstreamPool&) = delete;
    UpstreamPool& operator=(const UpstreamPool&) = delete;

    /// An idle connection for `key` that the server has not closed meanwhile (a closed or
    /// expired one is dropped on the way), or nullopt. With `unchecked`, one filed less than
    /// that long ago is lent without the read that checks it: for a caller that sends its
    /// request again on a new connection when the lent one turns out closed.
    std::optional<PooledUpstream> take(const std::string& key, std::chrono::steady_clock::duration unchecked = {});
    /// Whether take(key) would find an idle connection (one the server closed meanwhile counts).
    bool has_idle(const std::string& key) const;
    /// Files a connection that just finished a complete keep-alive response with nothing unread.
    void give_back(const std::string& key, PooledUpstream conn);
    /// Keeps the session of `ssl` (after a successful exchange, so TLS 1.3 tickets have arrived)
    /// as the one the next new connection for `key` resumes.
    void remember_session(const std::string& key, SSL* ssl);
    /// Offers the remembered session for `key` to a new connection; false when there is none.
    bool offer_session(const std::string& key, SSL* ssl);
    /// Idle connections held now.
    std::size_t idle() const;

private:
    mutable std::mutex mutex_;
    IdleBook<PooledUpstream> book_;
    std::map<std::string, SSL_SESSION*> sessions_;  ///< owned references
};

}  // namespace tlsfault::proxy
