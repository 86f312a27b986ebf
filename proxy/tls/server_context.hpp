// The TLS server side tlsfault shows clients: one shared SSL_CTX without a certificate (each
// connection gets its own leaf), permissive enough to present every lab fault.
#pragma once

#include "proxy/tls/keylog_lines.hpp"

#include "certgen/issued_certificate.hpp"

#include <boost/asio/ssl/context.hpp>

#include <string>

namespace tlsfault::proxy {

/// Security level 0 (so weak lab leaves such as rsa-1024 and sha1 can be shown), no session
/// resumption (every connection is a full handshake with a fresh verdict), ALPN answered with
/// http/1.1 when offered, and key logging to `keylog_path` and `keylog_copy_path` (the repro
/// bundle's keylog.txt) when they are not empty; with key logging on, the lines also go to
/// `remember` (when given; it must outlive every connection) for the control API.
boost::asio::ssl::context make_server_context(const std::string& keylog_path, const std::string& keylog_copy_path = {},
                                              KeylogLines* remember = nullptr);

/// Sets leaf, key and chain on one connection's SSL. False (with OpenSSL's reason in `error`)
/// when OpenSSL refuses them.
bool apply_certificate(SSL* ssl, const certgen::IssuedCertificate& cert, std::string& error);

/// The text of OpenSSL's queued errors (and clears the queue); "" when none.
std::string drain_openssl_errors();

}  // namespace tlsfault::proxy
