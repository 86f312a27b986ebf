// libFuzzer target: the explicit proxy's request path without sockets. Beast's request parser
// with tlsfault's limits (configure_parser, EngineConfig's header_limit), fed in the pieces a
// slow client would send (the first input byte picks the piece size), then what the listener
// does with a parsed request: CONNECT host:port, absolute http:// URLs, host routing, and the
// body streamed through a fixed chunk as the relay does.
#include "proxy/core/engine_config.hpp"
#include "proxy/relay/absolute_url.hpp"
#include "proxy/relay/http_relay.hpp"
#include "proxy/routing/default_router.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

using namespace tlsfault::proxy;

/// Offers `pending` to the parser as a socket read into a flat_buffer would; keeps what it did
/// not consume. False once the parser reported an error.
bool offer(RequestParser& parser, std::string& pending) {
    error_code ec;
    std::size_t used = parser.put(net::buffer(pending.data(), pending.size()), ec);
    pending.erase(0, used);
    return !ec || ec == http::error::need_more || ec == http::error::need_buffer;
}

void handle_header(const http::request_header<>& req) {
    if (req.method() == http::verb::connect) {
        if (auto target = parse_host_port(req.target())) (void)route_host(target->host, "tlsfault.test");
        return;
    }
    if (auto url = parse_absolute_url(req.target())) {
        (void)route_host(url->authority.host, "tlsfault.test");
        (void)url->authority.str();
    }
    (void)normalise_host(req[http::field::host]);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t piece = data[0] == 0 ? size : data[0];
    const std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
    RequestParser parser;
    configure_parser(parser, EngineConfig{}.header_limit);
    std::string pending;
    char chunk[4096];
    for (std::size_t pos = 0; pos < input.size() && !parser.is_done(); pos += piece) {
        pending.append(input, pos, piece);
        if (parser.is_header_done()) {
            parser.get().body().data = chunk;
            parser.get().body().size = sizeof chunk;
        }
        const bool header_was_done = parser.is_header_done();
        if (!offer(parser, pending)) return 0;
        if (!header_was_done && parser.is_header_done()) handle_header(parser.get().base());
    }
    return 0;
}
