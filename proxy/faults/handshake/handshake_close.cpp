// handshake_close: FIN right after the ClientHello (no ServerHello, no alert), then reading until
// the client closes too, so its last bytes do not turn the close into a reset.
#include "proxy/faults/handshake/handshake_fault.hpp"

#include "proxy/tls/alert_linger.hpp"
#include "proxy/tls/failure_verdict.hpp"

#include "scenarios/model/faults/handshake_close.hpp"

#include <chrono>

namespace tlsfault::proxy::faults {
namespace {

/// How long the client gets to close its side after our FIN.
constexpr std::chrono::milliseconds close_linger{5000};

}  // namespace

template <>
net::awaitable<std::optional<Verdict>> run_handshake_fault(const scenarios::HandshakeCloseSettings&, HandshakeFaultContext& context) {
    context.announce();
    auto& stream = context.stream;
    error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);  // FIN: the client reads end of stream
    if (!ec) ec = co_await read_until_peer_closes(stream, close_linger);
    // Outcome `closed`: the reason says tlsfault closed, and what the client did then.
    Verdict v{Outcome::closed, Phase::handshake, {}, {}, "closed by the rule after the ClientHello (FIN, no alert)"};
    if (ec == beast::error::timeout)
        v.reason += "; the client was still connected after " + std::to_string(close_linger.count()) + " ms";
    else if (ec == net::error::eof)
        v.reason += "; the client closed too";
    else
        v.reason += "; then " + classify_failure(Phase::handshake, ec, nullptr).reason;
    error_code ignored;
    stream.socket().close(ignored);
    co_return v;
}

}  // namespace tlsfault::proxy::faults
