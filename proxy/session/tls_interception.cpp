// One intercepted TLS connection. Each step is a short function with its own timeout; the
// verdict is recorded at the first point it is known and never changed afterwards.
#include "proxy/session/tls_interception.hpp"

#include "proxy/events/json_line.hpp"
#include "proxy/faults/fault_splice.hpp"
#include "proxy/tls/failure_verdict.hpp"
#include "proxy/relay/byte_tunnel.hpp"
#include "proxy/relay/early_upstream.hpp"
#include "proxy/relay/http_relay.hpp"
#include "proxy/relay/upstream_connect.hpp"
#include "proxy/revocation/handshake_deadline.hpp"
#include "proxy/revocation/revocation_service.hpp"
#include "proxy/revocation/staple_choice.hpp"
#include "proxy/routing/default_router.hpp"
#include "proxy/session/request_loop.hpp"
#include "proxy/session/tls_default_answer.hpp"
#include "proxy/session/scenario_session.hpp"
#include "proxy/tls/alert_capture.hpp"
#include "proxy/tls/alert_linger.hpp"
#include "proxy/tls/alpn_select.hpp"
#include "proxy/tls/client_hello.hpp"
#include "proxy/tls/fingerprint.hpp"
#include "proxy/tls/server_context.hpp"

#include "certgen/certgen_error.hpp"
#include "certgen/ocsp_staple.hpp"
#include "certgen/pem_io.hpp"

#include <algorithm>
#include <cctype>

namespace tlsfault::proxy {
namespace {

constexpr std::size_t max_hello_bytes = 64 * 1024 + 5 * 8;

std::span<const std::uint8_t> bytes_of(const beast::flat_buffer& buffer) {
    auto data = buffer.data();
    return {static_cast<const std::uint8_t*>(data.data()), data.size()};
}

/// Why a ClientHello did not arrive whole.
Verdict hello_failure_verdict(const error_code& ec, const beast::flat_buffer& buffer) {
    auto v = classify_failure(Phase::client_hello, ec, nullptr);
    if (buffer.size() > 0) v.reason += " after " + std::to_string(buffer.size()) + " bytes of ClientHello";
    return v;
}

/// Reads until a whole ClientHello is in `buffer` (or it is invalid); a read error is returned.
net::awaitable<error_code> read_client_hello(beast::tcp_stream& stream, beast::flat_buffer& buffer, std::chrono::milliseconds timeout,
                                             HelloParse& parse) {
    stream.expires_after(timeout);  // one deadline for the whole hello: a trickling client cannot extend it
    for (;;) {
        parse = parse_client_hello(bytes_of(buffer));
        if (parse.status != HelloStatus::need_more) co_return error_code{};
        if (buffer.size() >= max_hello_bytes) {
            parse.status = HelloStatus::invalid;
            parse.reason = "ClientHello larger than " + std::to_string(max_hello_bytes) + " bytes";
            co_return error_code{};
        }
        auto [ec, n] =
            co_await stream.async_read_some(buffer.prepare(std::min<std::size_t>(16 * 1024, max_hello_bytes - buffer.size())), nothrow);
        buffer.commit(n);
        if (ec) co_return ec;
    }
}

std::vector<std::string> version_names(const ClientHello& hello) {
    std::vector<std::string> names;
    for (auto v : hello.supported_versions)
        if (!is_grease(v)) names.push_back(tls_version_name(v));
    if (names.empty()) names.push_back(tls_version_name(hello.legacy_version));
    return names;
}

void emit_client_hello(Connection& conn, const ClientHello& hello, const Fingerprints& prints) {
    auto line = conn.event("client_hello");
    if (line.muted()) return;  // no sink: the version names and the random in hex are not built
    if (hello.sni) line.add("sni", *hello.sni);
    line.add("client_random", client_random_hex(hello));
    line.add("versions", version_names(hello))
        .add("legacy_version", tls_version_name(hello.legacy_version))
        .add("cipher_suites", hello.cipher_suites)
        .add("extensions", hello.extensions)
        .add("groups", hello.supported_groups)
        .add("signature_algorithms", hello.signature_algorithms)
        .add("alpn", hello.alpn)
        .add("ja3", prints.ja3)
        .add("ja3_hash", prints.ja3_hash)
        .add("ja4", prints.ja4);
    conn.emit(line);
}

void emit_certificate(Connection& conn, const Route& route, const certgen::IssuedCertificate& cert) {
    auto line = conn.event("certificate");
    line.add("host", route.host)
        .add("profile", route.profile->name)
        .add("subject", cert.subject_text)
        .add("issuer", cert.issuer_text)
        .add("serial", cert.serial_hex)
        .add("sha256", cert.sha256_fingerprint)
        .add("chain_length", static_cast<std::uint64_t>(cert.chain.size()))
        .add("not_before", cert.fields.not_before)
        .add("not_after", cert.fields.not_after)
        .add("san", cert.fields.san)
        .add("crl_urls", cert.fields.crl_urls)
        .add("ocsp_urls", cert.fields.ocsp_urls);
    if (route.unknown_profile) line.add("note", "no profile named by the first label; showing 'good'");
    conn.emit(line);
}

/// "127.0.0.1:50312" / "[::1]:50312" -> the address alone.
std::string peer_address(const std::string& peer) {
    if (!peer.empty() && peer.front() == '[') return peer.substr(1, peer.find(']') - 1);
    return peer.substr(0, peer.rfind(':'));
}

/// Staples an OCSP response when the client asked for one (status_request, extension 5).
/// The rule's `tls.staple` wins over the engine's --staple.
void staple_if_asked(EngineState& state, Connection& conn, SSL* ssl, const ClientHello& hello, const certgen::IssuedCertificate& cert,
                     const scenarios::Rule* rule) {
    bool asked = std::find(hello.extensions.begin(), hello.extensions.end(), 5) != hello.extensions.end();
    certgen::StapleMode mode = rule && rule->tls && rule->tls->staple ? *rule->tls->staple : state.config.staple;
    if (!asked || mode == certgen::StapleMode::none) return;
    if (mode == certgen::StapleMode::truthful) {  // what the certificate's own responder says, if it answers
        StapleChoice choice = truthful_staple(cert, state.revocation.revocation_url());
        if (!choice.mode) {
            conn.emit(conn.event("staple").add("mode", "truthful").add("none", choice.reason));
            return;
        }
        mode = *choice.mode;
    }
    std::string der;
    try {
        der = certgen::staple_for(mode, cert, state.revocation.ocsp());
    } catch (const std::exception& e) {  // certgen throws; one connection goes without a staple
        conn.emit(conn.event("staple").add("mode", certgen::to_string(mode)).add("error", e.what()));
        return;
    }
    auto* copy = static_cast<unsigned char*>(OPENSSL_memdup(der.data(), der.size()));
    if (copy && SSL_set_tlsext_status_ocsp_resp(ssl, copy, static_cast<long>(der.size())) == 1)
        conn.emit(conn.event("staple").add("mode", certgen::to_string(mode)).add("bytes", static_cast<std::uint64_t>(der.size())));
}

/// The client did not speak TLS: tunnel it (explicit proxy, forwarding on) or tell it so.
net::awaitable<void> handle_not_tls(EngineState& state, ScenarioSession& session, beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                    const InterceptTarget& target, const HelloParse& parse) {
    Connection& conn = session.conn();
    Verdict v{Outcome::not_tls, Phase::client_hello, {}, {}, parse.reason};
    if (!parse.looks_like_tls && target.tunnel_non_tls && target.destination) {
        v.reason += "; tunnelled raw to " + target.destination->str();
        session.verdict(v);
        auto upstream = co_await connect_plain_upstream(state, conn, *target.destination, OwnListenerPolicy::refuse);
        if (!upstream) co_return;
        std::uint64_t up = 0, down = 0;
        co_await tunnel_bytes(stream, *upstream, buffer.data(), state.config.timeouts.idle, up, down);
        conn.add_bytes(up, down);
        co_return;
    }
    session.verdict(v);
    auto first = bytes_of(buffer);
    if (!parse.looks_like_tls && first.size() >= 4 && std::isupper(first[0]) && std::isupper(first[1])) {
        // Looks like plain HTTP sent to a TLS port: say so, in a form a browser or curl shows.
        co_await send_simple_response(stream, http::status::bad_request, "this port expects TLS; use https:// (this is the SNI listener)",
                                      false, state.config.timeouts.idle);
    }
}

/// The protocol the handshake selected by ALPN ("" when none).
std::string selected_alpn(SSL* ssl) {
    const unsigned char* alpn = nullptr;
    unsigned int alpn_len = 0;
    SSL_get0_alpn_selected(ssl, &alpn, &alpn_len);
    return std::string(reinterpret_cast<const char*>(alpn), alpn_len);
}

OriginFacts origin_facts(const Connection& conn, const Route& route, const certgen::IssuedCertificate& cert, const Fingerprints& prints,
                         SSL* ssl) {
    OriginFacts f;
    f.conn = conn.id();
    f.host = route.host;
    f.profile = route.profile->name;
    f.profile_summary = route.profile->summary;
    f.correct_client = route.profile->correct_client;
    f.subject = cert.subject_text;
    f.issuer = cert.issuer_text;
    f.sha256 = cert.sha256_fingerprint;
    f.tls_version = SSL_get_version(ssl);
    f.cipher = SSL_get_cipher_name(ssl);
    f.alpn = selected_alpn(ssl);
    f.ja3 = prints.ja3_hash;
    f.ja4 = prints.ja4;
    return f;
}

void emit_accepted(ScenarioSession& session, SSL* ssl, std::string reason) {
    Connection& conn = session.conn();
    session.verdict({Outcome::accepted, Phase::request, {}, {}, std::move(reason)});
    conn.emit(
        conn.event("tls").add("tls_version", SSL_get_version(ssl)).add("cipher", SSL_get_cipher_name(ssl)).add("alpn", selected_alpn(ssl)));
}

/// A read after a completed handshake failed: the verdict says what came first, then why.
Verdict failed_after_handshake(const error_code& ec, const AlertCapture& alerts, const std::string& what_came_first) {
    auto v = classify_failure(Phase::request, ec, &alerts);
    v.reason = what_came_first + v.reason;
    return v;
}

/// Ends TLS politely: close_notify. Facing the client, the socket is then closed at once when
/// nothing of the client's waits unread, as nginx does (the client's own close_notify, if it
/// sends one later, meets a closed socket); waiting for it as well cost an event-loop turn, a
/// timer and a read, ~7 % of a new connection's CPU (docs/performance.md). The client is waited
/// for, up to 2 s, when part of a record from it has arrived (closing a socket with unread input
/// sends a reset, which can overtake the answer), and always behind tcp faults: their splice
/// passes on an orderly close as the fault says (slow_close delays it), while a socket closed
/// before the client's close_notify crossed the splice would end it with an error at once. A
/// client that already left is fine.
net::awaitable<void> say_close_notify(TlsStream& tls, bool behind_tcp_faults) {
    error_code ec;
    if (!behind_tcp_faults && tls.close_notify_now(ec)) co_return;
    tls.next_layer().expires_after(std::chrono::seconds(2));
    if (tls.flush_pending()) {
        auto [flush_ec] = co_await tls.async_flush(nothrow);
        if (flush_ec) co_return;
    }
    co_await tls.async_shutdown(nothrow);
}

/// A rule selected a protocol tlsfault does not speak (h2, ...): the handshake is what the rule
/// is about. Waits for the client's first bytes (it took the answer and spoke), records that, and
/// closes with a close_notify.
net::awaitable<void> close_foreign_protocol(EngineState& state, ScenarioSession& session, TlsStream& tls, const AlertCapture& alerts,
                                            const std::string& protocol) {
    char scratch[1024];
    tls.next_layer().expires_after(state.config.timeouts.header);
    auto [ec, n] = co_await tls.async_read_some(net::buffer(scratch), nothrow);
    if (ec) {
        session.verdict(failed_after_handshake(ec, alerts, "handshake completed with ALPN " + protocol + ", then: "));
    } else {
        emit_accepted(session, tls.native_handle(),
                      "ALPN " + protocol + " selected by the rule; the client spoke it (" + std::to_string(n) +
                          " bytes read) and tlsfault, which speaks HTTP/1.1 only, closed");
    }
    co_await say_close_notify(tls, session.has_tcp_faults());
}

/// Whether requests no rule answers get the origin page: a lab host, or a listener that does
/// not forward.
bool answers_with_origin_page(const Route& route, const InterceptTarget& target) { return route.lab_host || !target.may_forward; }

/// Whether this connection may ever show the origin page (and its facts, JA4 included): it
/// answers with it, or a scenario names its host, which keeps a request no rule answers local
/// (TlsDefaultAnswer::kept_local). Both are fixed once the scenario session has chosen.
bool may_show_origin_page(const ScenarioSession& session, const Route& route, const InterceptTarget& target) {
    return answers_with_origin_page(route, target) || !session.choice().host_named_by.empty();
}

/// Where a relayed request goes: --upstream-address, else the CONNECT target, else the host on 443.
HostPort forward_destination(const EngineState& state, const Route& route, const InterceptTarget& target) {
    return state.config.upstream_address ? *state.config.upstream_address
           : target.destination          ? *target.destination
                                         : HostPort{route.host, 443};
}

/// With --upstream-connect early: the upstream connection, begun now, of a connection that will
/// relay its requests and that no scenario is about. A connection rule (a certificate fault, an
/// alert, ...) expects the client to refuse, and a host a scenario names is a lab stand-in
/// whose requests stay here: neither contacts the upstream before a request asks for it.
std::shared_ptr<EarlyUpstream> early_upstream_for(EngineState& state, const ScenarioSession& session, const Route& route,
                                                  const InterceptTarget& target, const net::any_io_executor& executor) {
    if (!state.config.upstream_connect_early || answers_with_origin_page(route, target)) return nullptr;
    if (session.rule() || !session.choice().host_named_by.empty()) return nullptr;
    return TlsDefaultAnswer::begin_early_upstream(state, session, forward_destination(state, route, target), route.host, executor);
}

/// What the connection answers with when no rule answers a request: the origin page or the relay
/// (over `early`, the upstream connection begun at the ClientHello, if any).
DefaultAnswer default_answer(EngineState& state, ScenarioSession& session, const Route& route, const InterceptTarget& target,
                             const certgen::IssuedCertificate& cert, const Fingerprints& prints, SSL* ssl,
                             std::shared_ptr<EarlyUpstream> early) {
    DefaultAnswer answer;
    answer.origin = answers_with_origin_page(route, target);
    answer.destination = forward_destination(state, route, target);
    answer.upstream_name = route.host;
    answer.facts = origin_facts(session.conn(), route, cert, prints, ssl);
    answer.early = std::move(early);
    return answer;
}

/// The client accepted the certificate (the handshake completed); its first request is what is
/// wrong (a header too large or malformed): it is told so, and the connection closes.
net::awaitable<void> refuse_unusable_request(EngineState& state, ScenarioSession& session, TlsStream& tls, error_code ec) {
    emit_accepted(session, tls.native_handle(), "request unusable: " + ec.message());
    session.conn().set_close_reason("bad request: " + ec.message());
    auto status = ec == http::error::header_limit ? http::status::request_header_fields_too_large : http::status::bad_request;
    co_await send_simple_response(tls, status, "request rejected: " + ec.message(), false, state.config.timeouts.idle);
    co_await drain_before_close(tls);
}

/// What an intercepted TLS connection keeps from its ClientHello to its end, in one heap object.
/// The coroutines that read the ClientHello, mint, handshake and read the first request return
/// before it is answered, so a kept-alive connection between requests holds this object and the
/// request loop's small frame, not their frames (GCC gives every local of a coroutine a slot for
/// the coroutine's whole life: a chain of them cost ~3 KiB per idle connection). Its address is
/// fixed: the SSL's callbacks and the origin page's facts point into it.
struct InterceptedTls {
    InterceptedTls(EngineState& state, Connection& conn, beast::flat_buffer&& read) : session(state, conn), buffer(std::move(read)) {}
    /// Ends TLS on the socket (and closes it); the session's end is the caller's next step.
    void close() {
        request.reset();
        fallback.reset();
        tls.reset();
    }

    ScenarioSession session;
    beast::flat_buffer buffer;  ///< read from the client, not yet used
    Route route;
    Fingerprints prints;  ///< the JA3 hash and JA4 (the full JA3 string is the event's alone)
    std::shared_ptr<const certgen::IssuedCertificate> cert;
    AlertCapture alerts;  ///< these two before the stream: the SSL's callbacks write into them
    ClientCertCheck client_cert;
    std::optional<TlsStream> tls;
    std::optional<TlsDefaultAnswer> fallback;
    RequestSlot request;  ///< the first request's header
    /// The upstream connection begun at the ClientHello (--upstream-connect early), until the
    /// default answer takes it; one never taken goes to the pool when this goes.
    std::shared_ptr<EarlyUpstream> early;
};

/// After an accepted handshake: reads the first request (the moment the verdict becomes
/// "accepted") and readies the default answer. False when the connection ended here (its
/// verdict recorded). Rare branches live in coroutines of their own.
net::awaitable<bool> read_first_request(EngineState& state, InterceptedTls& c, const InterceptTarget& target) {
    TlsStream& tls = *c.tls;
    if (const auto alpn = selected_alpn(tls.native_handle()); !alpn.empty() && alpn != "http/1.1") {
        co_await close_foreign_protocol(state, c.session, tls, c.alerts, alpn);
        co_return false;
    }
    c.request = std::make_unique<RequestParser>();
    configure_parser(*c.request, state.config.header_limit);
    tls.next_layer().expires_after(state.config.timeouts.header);
    const error_code ec = co_await read_whole_header(tls, c.buffer, *c.request);
    if (ec && ec != http::error::end_of_stream && ec.category() == http::make_error_code(http::error::header_limit).category()) {
        co_await refuse_unusable_request(state, c.session, tls, ec);
        co_return false;
    }
    if (ec) {
        c.session.verdict(failed_after_handshake(ec, c.alerts, "handshake completed, then no request: "));
        co_return false;
    }
    emit_accepted(c.session, tls.native_handle(), {});
    c.fallback.emplace(state, c.session,
                       default_answer(state, c.session, c.route, target, *c.cert, c.prints, tls.native_handle(), std::move(c.early)));
    co_return true;
}

/// The certificate this connection shows: a mirrored customer chain (minted when its scenario
/// was put in force) or the route's leaf; nullptr after recording why minting failed.
std::shared_ptr<const certgen::IssuedCertificate> certificate_for(EngineState& state, ScenarioSession& session, const Route& route) {
    const scenarios::Rule* rule = session.rule();
    try {
        const auto* action = rule && rule->certificate ? &*rule->certificate : nullptr;
        auto cert = action && action->mirror ? session.choice().set->mirrored_for(*action) : nullptr;
        return cert ? cert : state.leaves.get(*route.profile, route.host);
    } catch (const std::exception& e) {  // certgen throws; the traffic path turns it into a verdict
        session.verdict({Outcome::aborted, Phase::client_hello, {}, {}, std::string("minting the certificate failed: ") + e.what()});
        return nullptr;
    }
}

/// Records the certificate shown, then puts it, the rule's TLS settings and a staple on the
/// connection's SSL; false after recording why it could not.
bool prepare_handshake(EngineState& state, ScenarioSession& session, SSL* ssl, const ClientHello& hello, const Route& route,
                       const certgen::IssuedCertificate& cert, ClientCertCheck& client_cert) {
    Connection& conn = session.conn();
    emit_certificate(conn, route, cert);
    state.revocation.certificate_shown(conn.id(), peer_address(conn.peer()), cert.issuer, cert.serial_hex);
    if (std::string error; !apply_certificate(ssl, cert, error) || !session.apply(ssl, cert, client_cert, error)) {
        session.verdict({Outcome::aborted, Phase::handshake, {}, {}, error});
        return false;
    }
    staple_if_asked(state, conn, ssl, hello, cert, session.rule());
    return true;
}

/// From the certificate to the first request: mint, handshake, read the request. True when a
/// first request waits in `c.request`. `stream` is the client's own socket, or the splice's end
/// when the rule has tcp faults; TLS runs on that same stream, borrowed: Beast's tcp_stream
/// allocates a new 536-byte state on every move and the moved-from one keeps its own.
net::awaitable<bool> accept_handshake(EngineState& state, InterceptedTls& c, beast::tcp_stream& stream, const ClientHello& hello,
                                      const InterceptTarget& target) {
    c.cert = certificate_for(state, c.session, c.route);
    if (!c.cert) co_return false;
    AlpnChoice alpn;  // read by the handshake alone
    if (c.session.rule() && c.session.rule()->tls) alpn.wanted = c.session.rule()->tls->alpn;
    TlsStream& tls = c.tls.emplace(stream, state.server_tls);
    install_alert_capture(tls.native_handle(), c.alerts);
    if (!prepare_handshake(state, c.session, tls.native_handle(), hello, c.route, *c.cert, c.client_cert)) co_return false;
    set_alpn_choice(tls.native_handle(), alpn);
    auto [ec, used] = co_await handshake_awaiting_revocation(tls, c.buffer.data(), state.config.timeouts.handshake, state.revocation,
                                                             c.session.conn().id());
    c.session.on_handshake(tls.native_handle(), c.client_cert, alpn, !ec);
    forget_alpn_choice(tls.native_handle());
    if (ec) {
        c.session.verdict(classify_failure(Phase::handshake, ec, &c.alerts));
        if (c.alerts.sent && c.alerts.sent->level == 2) co_await read_until_peer_closes(tls.next_layer(), alert_linger);
        co_return false;
    }
    c.buffer.consume(used);
    c.session.conn().set_phase(Phase::request);
    // The ClientHello was read in pieces of up to 16 KiB; requests need far less, and a
    // kept-alive connection keeps this buffer while idle (requests grow it again as needed).
    c.buffer.shrink_to_fit();
    co_return co_await read_first_request(state, c, target);
}

/// The whole TLS connection behind the rule's tcp faults: the splice's end lives only as long
/// as this body, so the connection is served to its end in here.
net::awaitable<void> serve_behind_faults(EngineState& state, InterceptedTls& c, beast::tcp_stream& spliced, const ClientHello& hello,
                                         const InterceptTarget& target) {
    // Awaited into a variable, not inside the `if`: GCC 12 miscompiled `if (co_await ...)` here
    // (the awaited coroutine never ran and the body spun; every tcp-fault test failed).
    const bool accepted = co_await accept_handshake(state, c, spliced, hello, target);
    if (accepted) {
        co_await serve_requests(state, c.session, *c.tls, c.buffer, *c.request, c.request, *c.fallback);
        co_await say_close_notify(*c.tls, true);
    }
    c.close();
}

/// From the ClientHello to the first request. True when that request waits in `c.request` on
/// the client's own stream; false when the connection ended (its verdict recorded) or was
/// served to its end behind tcp faults.
net::awaitable<bool> accept_tls(EngineState& state, InterceptedTls& c, beast::tcp_stream& stream, const InterceptTarget& target) {
    Connection& conn = c.session.conn();
    conn.set_phase(Phase::client_hello);  // after a CONNECT, the proxy request is over
    HelloParse parse;
    if (auto ec = co_await read_client_hello(stream, c.buffer, state.config.timeouts.client_hello, parse)) {
        c.session.verdict(hello_failure_verdict(ec, c.buffer));
        co_return false;
    }
    if (parse.status == HelloStatus::invalid) {
        co_await handle_not_tls(state, c.session, stream, c.buffer, target, parse);
        co_return false;
    }
    const ClientHello& hello = parse.hello;
    conn.set_phase(Phase::handshake);
    // Computed once, for whoever reads them: the event (all three), rules that match on JA3
    // (choose() computes it then) and the origin page (JA3 and JA4, below). A forwarded connection
    // whose events nobody reads and that no JA3 rule concerns computes none.
    if (conn.events_read()) c.prints = fingerprints(hello);
    emit_client_hello(conn, hello, c.prints);
    // The full JA3 string is the event's; rules and the origin page read the hash. Swapped out,
    // not assigned: assigning an empty string keeps the old buffer (libstdc++).
    std::string().swap(c.prints.ja3);
    c.route = route_host(hello.sni ? *hello.sni : target.fallback_host, state.config.lab_domain);
    c.session.choose(c.route.host, target.destination ? target.destination->port : 443, &hello, c.prints.ja3_hash);
    if (c.session.rule() && c.session.rule()->certificate) c.route.profile = &c.session.rule()->certificate->profile;
    if (c.prints.ja4.empty() && may_show_origin_page(c.session, c.route, target)) {
        if (c.prints.ja3_hash.empty()) c.prints.ja3_hash = ja3_hash(hello);
        c.prints.ja4 = ja4(hello);
    }
    conn.set_host(c.route.host, c.route.profile->name);
    c.early = early_upstream_for(state, c.session, c.route, target, stream.get_executor());
    if (co_await c.session.handshake_faults(stream, c.buffer, hello)) co_return false;
    if (!c.session.has_tcp_faults()) co_return co_await accept_handshake(state, c, stream, hello, target);
    co_await c.session.with_tcp_faults(stream, Phase::handshake,
                                       [&](beast::tcp_stream& spliced) { return serve_behind_faults(state, c, spliced, hello, target); });
    co_return false;
}

}  // namespace

net::awaitable<void> intercept_tls(EngineState& state, Connection& conn, beast::tcp_stream& stream, beast::flat_buffer&& buffer,
                                   InterceptTarget&& target) {
    const auto c = std::make_unique<InterceptedTls>(state, conn, std::move(buffer));
    const bool accepted = co_await accept_tls(state, *c, stream, target);  // not inside the `if`: see serve_behind_faults
    if (accepted) {                                                        // served here, so that no frame of accept_tls waits with it
        co_await serve_requests(state, c->session, *c->tls, c->buffer, *c->request, c->request, *c->fallback);
        co_await say_close_notify(*c->tls, c->session.has_tcp_faults());
    }
    c->close();
    c->session.on_end();
}

}  // namespace tlsfault::proxy
