// Upstream TLS settings: peer verification against the system store or a given CA, or none.
#include "proxy/tls/upstream_context.hpp"

#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>

#include <stdexcept>

namespace tlsfault::proxy {

boost::asio::ssl::context make_upstream_context(UpstreamVerify verify, const std::string& ca_file) {
    boost::asio::ssl::context ctx(boost::asio::ssl::context::tls_client);
    SSL_CTX* native = ctx.native_handle();
    static const unsigned char alpn[] = "\x08http/1.1";
    SSL_CTX_set_alpn_protos(native, alpn, sizeof alpn - 1);
    SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);  // no TLS buffers held while idle
    switch (verify) {
    case UpstreamVerify::off: SSL_CTX_set_verify(native, SSL_VERIFY_NONE, nullptr); break;
    case UpstreamVerify::system:
        SSL_CTX_set_default_verify_paths(native);
        SSL_CTX_set_verify(native, SSL_VERIFY_PEER, nullptr);
        break;
    case UpstreamVerify::ca_file:
        if (SSL_CTX_load_verify_locations(native, ca_file.c_str(), nullptr) != 1)
            throw std::runtime_error("--upstream-verify " + ca_file + ": not a readable PEM CA file");
        SSL_CTX_set_verify(native, SSL_VERIFY_PEER, nullptr);
        break;
    }
    return ctx;
}

bool prepare_upstream_ssl(SSL* ssl, const std::string& host, bool verify) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(host, ec);  // only whether it parses: an IP gets no SNI
    bool is_ip = !ec;
    if (!is_ip && SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) return false;
    if (!verify) return true;
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    if (is_ip) return X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) == 1;
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    return SSL_set1_host(ssl, host.c_str()) == 1;
}

}  // namespace tlsfault::proxy
