// The upstream side of a relayed HTTP connection, as relay_exchange uses it: one stream reused
// across keep-alive requests, with its read buffer, dropped when the upstream ends it. The
// plain (explicit proxy) and TLS (intercepted) upstreams differ only in how they connect.
#pragma once

#include "proxy/core/net.hpp"

#include <boost/beast/http/message.hpp>

#include <cstdint>
#include <memory>

namespace tlsfault::proxy {

template <class Stream>
class UpstreamSlot {
public:
    beast::flat_buffer& buffer() { return buffer_; }
    /// Forgets the connection (the next request connects again).
    void drop() {
        stream_.reset();
        buffer_.clear();
    }
    /// After a complete response: a connection that may not be kept alive is forgotten.
    void done(bool reusable) {
        if (!reusable) drop();
    }
    /// Never from a pool: a failure is the upstream's answer, not a stale connection.
    bool reused() const { return false; }
    std::uint64_t id() const { return 0; }

protected:
    std::unique_ptr<Stream> stream_;
    beast::flat_buffer buffer_;
};

/// Removes what was meant for the proxy, not the origin.
inline void strip_proxy_headers(beast::http::request_header<>& req) {
    req.erase(beast::http::field::proxy_authorization);
    req.erase("Proxy-Connection");
}

}  // namespace tlsfault::proxy
