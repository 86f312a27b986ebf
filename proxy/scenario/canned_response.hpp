// The bytes of a rule's canned HTTP answer, built exactly as the rule says (reason phrase,
// header order, deliberate breakage), and where to stop sending them. Pure: no I/O, no throw
// beyond allocation; scenario_responder.cpp writes what this returns.
#pragma once

#include "scenarios/model/http_action.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace tlsfault::proxy {

/// The response bytes, and how many of them to send before breaking the connection (npos: all).
struct RawResponse {
    std::string bytes;
    std::size_t send = std::string::npos;
    bool reset_after = false;  ///< abort_after: RST instead of FIN
    bool close_after = false;  ///< Connection: close was sent; end the connection after writing
    bool truncates = false;    ///< truncate_body: end with a bare FIN, no close_notify (the truncation is the point)
};

/// True when the rule's headers include `name` (case-insensitive).
bool has_header(const scenarios::HttpAction& action, std::string_view name);

/// The answer `action` gives with `body` (action.body_bytes()): status line, a `Server` header
/// unless the rule sets one, the rule's headers in order, `X-Tlsfault-Connection: conn_id`
/// (unless turned off), `Connection: close` when the request did not keep alive or the answer
/// breaks, then Content-Length (unless given) or, for malformed_chunk, a chunked body whose
/// second size line is not hex. A HEAD answer has no body. truncate_body and abort_after set
/// `send` to the head plus that many body bytes.
RawResponse build_response(const scenarios::HttpAction& action, const std::string& body, bool keep_alive, bool is_head,
                           std::uint64_t conn_id);

}  // namespace tlsfault::proxy
