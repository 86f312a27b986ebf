// The TLS client side used towards real upstream servers, with verification as configured.
#pragma once

#include "proxy/core/engine_config.hpp"

#include <boost/asio/ssl/context.hpp>

#include <openssl/ssl.h>

#include <string>

namespace tlsfault::proxy {

/// Throws std::runtime_error (load time) when the CA file cannot be read.
boost::asio::ssl::context make_upstream_context(UpstreamVerify verify, const std::string& ca_file);

/// Per connection: SNI (names only) and the host name or IP the certificate must match.
/// False when OpenSSL refuses the name.
bool prepare_upstream_ssl(SSL* ssl, const std::string& host, bool verify);

}  // namespace tlsfault::proxy
