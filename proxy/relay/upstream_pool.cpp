// The upstream keep-alive pool; see upstream_pool.hpp.
#include "proxy/relay/upstream_pool.hpp"

#include "proxy/core/idle_wait.hpp"
#include "proxy/core/net.hpp"

#include <atomic>

namespace tlsfault::proxy {
namespace {

/// Sessions kept at most (one per key); past it the cache starts again, which costs one full
/// handshake per key.
constexpr std::size_t max_sessions = 1024;

/// True while the server has neither closed the idle connection nor sent any data (a
/// close_notify or any byte of data on an idle HTTP connection means it is not reusable). TLS
/// records that carry no data are taken on the way: a TLS 1.3 server's session tickets wait
/// unread on a connection that carried no request yet (an early one: early_upstream.hpp).
bool still_open(TlsStream& stream) {
    char byte;
    error_code ec;
    stream.note_readable();
    return stream.read_now(net::buffer(&byte, 1), ec) == 0 && !ec && !stream.flush_pending();
}

}  // namespace

std::string UpstreamKey::text() const {
    std::string verify_text = verify == UpstreamVerify::off ? "off" : verify == UpstreamVerify::system ? "system" : "ca:" + ca_file;
    return host + '\n' + std::to_string(port) + '\n' + sni + '\n' + verify_text + '\n' +
           std::to_string(reinterpret_cast<std::uintptr_t>(context));
}

PooledUpstream::PooledUpstream() = default;
PooledUpstream::PooledUpstream(PooledUpstream&&) noexcept = default;
PooledUpstream& PooledUpstream::operator=(PooledUpstream&&) noexcept = default;
PooledUpstream::~PooledUpstream() = default;

std::uint64_t next_upstream_id() {
    static std::atomic<std::uint64_t> last{0};
    return ++last;
}

UpstreamPool::UpstreamPool(PoolLimits limits) : book_(limits) {}

UpstreamPool::~UpstreamPool() {
    for (auto& [key, session] : sessions_) SSL_SESSION_free(session);
}

std::optional<PooledUpstream> UpstreamPool::take(const std::string& key, std::chrono::steady_clock::duration unchecked) {
    for (;;) {
        std::optional<PooledUpstream> found;
        const auto now = std::chrono::steady_clock::now();
        auto filed = now;
        {
            std::lock_guard lock(mutex_);
            found = book_.take(key, now, &filed);
        }
        // Under load the connection taken was filed microseconds ago, by the response before, and
        // the check is a read that finds nothing: a system call per request (nginx checks none).
        if (!found || now - filed < unchecked || still_open(*found->stream)) return found;
        // closed by the server while idle: dropped here, the next one is tried
    }
}

bool UpstreamPool::has_idle(const std::string& key) const {
    std::lock_guard lock(mutex_);
    return book_.has_fresh(key, std::chrono::steady_clock::now());
}

void UpstreamPool::give_back(const std::string& key, PooledUpstream conn) {
    std::vector<PooledUpstream> evicted;
    std::lock_guard lock(mutex_);
    evicted = book_.put(key, std::move(conn), std::chrono::steady_clock::now());
}

void UpstreamPool::remember_session(const std::string& key, SSL* ssl) {
    // A copy: the connection's own session object is marked not resumable if that connection
    // later ends in a fatal error (an unexpected EOF), which says nothing about the session.
    SSL_SESSION* live = SSL_get0_session(ssl);
    SSL_SESSION* session = live ? SSL_SESSION_dup(live) : nullptr;
    if (!session) return;
    if (SSL_SESSION_is_resumable(session) != 1) {
        SSL_SESSION_free(session);
        return;
    }
    SSL_SESSION* replaced = nullptr;
    {
        std::lock_guard lock(mutex_);
        if (sessions_.size() >= max_sessions && !sessions_.count(key)) {
            for (auto& [k, s] : sessions_) SSL_SESSION_free(s);
            sessions_.clear();
        }
        auto& slot = sessions_[key];
        replaced = slot;
        slot = session;
    }
    if (replaced) SSL_SESSION_free(replaced);
}

bool UpstreamPool::offer_session(const std::string& key, SSL* ssl) {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(key);
    return it != sessions_.end() && SSL_set_session(ssl, it->second) == 1;
}

std::size_t UpstreamPool::idle() const {
    std::lock_guard lock(mutex_);
    return book_.size();
}

}  // namespace tlsfault::proxy
