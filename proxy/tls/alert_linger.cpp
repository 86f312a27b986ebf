#include "proxy/tls/alert_linger.hpp"

#include <memory>

namespace tlsfault::proxy {

net::awaitable<error_code> read_until_peer_closes(beast::tcp_stream& stream, std::chrono::milliseconds linger) {
    auto scratch = std::make_unique<char[]>(4096);
    stream.expires_after(linger);
    for (;;) {
        auto [ec, n] = co_await stream.async_read_some(net::buffer(scratch.get(), 4096), nothrow);
        if (ec) co_return ec;
    }
}

}  // namespace tlsfault::proxy
