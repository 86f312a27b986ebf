// libFuzzer target: an upstream's response header as the relay reads it
// (proxy/relay/message_head.*), fed in the pieces a slow upstream would send (the first input
// byte picks the piece size, the second whether the request was a HEAD). Differential: when the
// head parser finishes a header (by its plain scanner or by Beast's parser), Beast's full parser,
// given the same bytes at once, must end the header at the same byte with the same status,
// reason, keep-alive and framing (the relay sends those bytes to the client as they are); and
// the header written back by write_header_bytes must read back to the same status and fields.
#include "proxy/relay/http_relay.hpp"
#include "proxy/relay/message_head.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

using namespace tlsfault::proxy;

constexpr std::uint32_t header_limit = 16 * 1024;

/// Beast's response parser over `bytes` until its header is done; the bytes it used, or npos.
std::size_t full_parse(ResponseParser& parser, const std::string& bytes, bool head_request, std::uint32_t limit = header_limit) {
    parser.header_limit(limit);
    parser.body_limit(boost::none);
    if (head_request) parser.skip(true);
    std::size_t used = 0;
    while (!parser.is_header_done()) {
        error_code ec;
        used += parser.put(net::buffer(bytes.data() + used, bytes.size() - used), ec);
        if (ec) return std::string::npos;
    }
    return used;
}

void require(bool ok) {
    if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::size_t piece = data[0] == 0 ? size : data[0];
    const bool head_request = (data[1] & 1) != 0;
    const std::string input(reinterpret_cast<const char*>(data + 2), size - 2);

    ResponseHeadParser head;
    head.header_limit(header_limit);
    head.body_limit(boost::none);
    if (head_request) head.skip(true);
    std::string buffered;
    bool done = false;
    for (std::size_t pos = 0; pos < input.size() && !done; pos += piece) {
        buffered.append(input, pos, piece);
        error_code ec;
        done = head.parse(net::buffer(buffered), ec);
        if (!done && ec != http::error::need_more) return 0;
    }
    if (!done) return 0;

    ResponseParser full;
    const std::size_t used = full_parse(full, buffered, head_request);
    require(used == head.size());
    const auto& res = full.get();
    require(res.result_int() == head.status());
    require(head.reason().empty() || res.reason() == head.reason());  // an empty one reads as Beast's standard one
    require(full.keep_alive() == head.keeps_alive());
    require(framed_body_length(full) == head.known_body_length());

    std::string written(header_limit * 2, '\0');
    const std::size_t n = write_header_bytes(res.base(), written.data(), written.size());
    require(n > 0);
    written.resize(n);
    ResponseParser again;  // its own limit: the writer adds a space after each colon, so it may be longer
    require(full_parse(again, written, head_request, static_cast<std::uint32_t>(n + 1)) == n);
    require(again.get().result_int() == res.result_int());
    require(again.get().reason() == res.reason());
    require(std::distance(again.get().begin(), again.get().end()) == std::distance(res.begin(), res.end()));
    return 0;
}
