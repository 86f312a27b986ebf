// The server's ALPN answer. OpenSSL has one select callback per SSL_CTX, so the shared context
// gets this one callback and each connection says what it wants through the SSL's ex_data:
// nothing (the engine default: http/1.1 when offered), a protocol, none, or refuse.
#pragma once

#include <openssl/ssl.h>

#include <optional>
#include <string>
#include <vector>

namespace tlsfault::proxy {

/// One connection's ALPN wish and what came of it; lives as long as the SSL (the callback writes it).
struct AlpnChoice {
    /// The rule's `tls.alpn`: a protocol name, "none" or "refuse"; nullopt: the engine default.
    std::optional<std::string> wanted;
    bool asked = false;                ///< the client offered ALPN (the callback ran)
    std::vector<std::string> offered;  ///< what it offered, in its order
    std::string selected;              ///< the protocol selected; "" for none
    bool refused = false;              ///< the handshake was failed with no_application_protocol
};

/// Sets the callback on the shared server context.
void install_alpn_select(SSL_CTX* ctx);

/// Makes `ssl`'s ALPN answer follow `choice` (which must outlive the handshake).
void set_alpn_choice(SSL* ssl, AlpnChoice& choice);
/// After the handshake: `ssl` no longer points at the choice (renegotiation is off, and TLS 1.3
/// negotiates ALPN once), so the choice need not live as long as the connection.
void forget_alpn_choice(SSL* ssl);

}  // namespace tlsfault::proxy
