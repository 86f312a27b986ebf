// The TLS path's answer to a request no scenario rule answers: the origin page, or the relay to
// the upstream over a verified TLS connection. A host a loaded scenario names is a lab stand-in
// and gets the origin page unless a rule says `http: forward`.
#pragma once

#include "proxy/core/net.hpp"
#include "proxy/origin/origin_page.hpp"
#include "proxy/session/request_loop.hpp"

#include <memory>
#include <string>

namespace tlsfault::proxy {

class EarlyUpstream;
class ScenarioSession;

/// What the engine answers with, fixed for the connection.
struct DefaultAnswer {
    bool origin = true;                    ///< the origin page; else relayed to `destination`
    HostPort destination;                  ///< the upstream (used when !origin)
    std::string upstream_name;             ///< the name the upstream's certificate is checked against
    OriginFacts facts;                     ///< what the origin page shows
    std::shared_ptr<EarlyUpstream> early;  ///< the upstream connection begun at the ClientHello, if any
};

/// The TLS path's policy for serve_requests.
class TlsDefaultAnswer : public DefaultAnswerPolicy<TlsStream> {
public:
    TlsDefaultAnswer(EngineState& state, ScenarioSession& session, DefaultAnswer answer);
    ~TlsDefaultAnswer() override;
    net::awaitable<bool> answer(TlsStream& tls, beast::flat_buffer& buffer, RequestParser& parser, RelayScratch& scratch,
                                bool rule_forwards, int& status) override;

    /// Begins the upstream connection of a connection that will relay to `destination` (checked
    /// for `name`), unless it gets no pooled upstream (--upstream-pool off, tcp faults) or an
    /// idle one waits for it in the pool; null when not begun.
    static std::shared_ptr<EarlyUpstream> begin_early_upstream(EngineState& state, const ScenarioSession& session,
                                                               const HostPort& destination, const std::string& name,
                                                               const net::any_io_executor& executor);

private:
    class Upstream;
    /// True when the request is answered locally although forwarding is on (see the file note).
    bool kept_local(bool rule_forwards);

    EngineState& state_;
    ScenarioSession& session_;
    DefaultAnswer answer_;
    std::unique_ptr<Upstream> upstream_;
};

}  // namespace tlsfault::proxy
