// Every request on one connection, one at a time, for both paths (TLS and plain-HTTP proxy):
// the scenario rules first (each request counts as a request attempt), then the engine's default
// answer, which is the path's policy — the origin page or the relay inside TLS, forwarding or a
// refusal in plain HTTP. A kept-alive connection goes round again, so a rule's answer and the
// default can alternate on one connection, each request getting its own.
#pragma once

#include "proxy/core/engine_state.hpp"
#include "proxy/core/net.hpp"
#include "proxy/relay/http_relay.hpp"

#include <memory>

namespace tlsfault::proxy {

class ScenarioSession;

/// What a path does with a request no scenario rule answers.
template <class Stream>
class DefaultAnswerPolicy {
public:
    virtual ~DefaultAnswerPolicy() = default;
    /// Answers the request whose header is in `parser`, relaying through `scratch` if it relays;
    /// `rule_forwards`: a rule said `http: forward`.
    /// `status` receives the status that judges the connection rule's `expect` (0: none). True
    /// when the connection stays open for another request.
    virtual net::awaitable<bool> answer(Stream& stream, beast::flat_buffer& buffer, RequestParser& parser, RelayScratch& scratch,
                                        bool rule_forwards, int& status) = 0;
    /// A scenario rule answered the request (or reading it failed).
    virtual void rule_answered() {}
};

/// The header of the request being answered. Allocated per request and freed before the
/// connection waits for the next one: a kept-alive connection between requests holds no parser.
using RequestSlot = std::unique_ptr<RequestParser>;

/// Answers requests, starting with the one whose header is in `first`, until keep-alive ends.
/// `first` may be `*next` (the TLS path reads its first request into the slot) or the
/// caller's own parser, whose header fields are freed once answered. `Stream` is TlsStream or
/// beast::tcp_stream (instantiated for those two).
template <class Stream>
net::awaitable<void> serve_requests(EngineState& state, ScenarioSession& session, Stream& stream, beast::flat_buffer& buffer,
                                    RequestParser& first, RequestSlot& next, DefaultAnswerPolicy<Stream>& fallback);

}  // namespace tlsfault::proxy
