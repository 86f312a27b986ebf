// Server SSL_CTX set-up and per-connection certificate selection.
#include "proxy/tls/server_context.hpp"

#include "proxy/tls/alpn_select.hpp"

#include <openssl/err.h>

#include <cstdio>
#include <mutex>
#include <stdexcept>

namespace tlsfault::proxy {
namespace {

// The key log is process-wide, like the SSLKEYLOGFILE convention it follows.
std::mutex keylog_mutex;
std::FILE* keylog_file = nullptr;

void write_keylog_line(const SSL* /*ssl*/, const char* line) {
    std::lock_guard lock(keylog_mutex);
    if (!keylog_file) return;
    std::fprintf(keylog_file, "%s\n", line);
    std::fflush(keylog_file);  // Wireshark reads it live
}

}  // namespace

std::string drain_openssl_errors() {
    std::string text;
    char buf[256];
    while (unsigned long e = ERR_get_error()) {
        ERR_error_string_n(e, buf, sizeof buf);
        if (!text.empty()) text += "; ";
        text += buf;
    }
    return text;
}

boost::asio::ssl::context make_server_context(const std::string& keylog_path) {
    boost::asio::ssl::context ctx(boost::asio::ssl::context::tls_server);
    SSL_CTX* native = ctx.native_handle();
    SSL_CTX_set_security_level(native, 0);
    SSL_CTX_set_min_proto_version(native, 0);
    SSL_CTX_set_cipher_list(native, "DEFAULT:@SECLEVEL=0");
    SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(native, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_num_tickets(native, 0);
    // An idle kept-alive connection holds no TLS read/write buffers (~34 KiB). Asio also sets
    // this on each SSL it makes; here it covers every SSL made from this context.
    SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
    install_alpn_select(native);  // http/1.1 when offered, unless a rule says otherwise
    // OpenSSL sends a staple only through this callback; the response itself is set per
    // connection (SSL_set_tlsext_status_ocsp_resp) before the handshake, when one is wanted.
    SSL_CTX_set_tlsext_status_cb(native, +[](SSL* ssl, void*) -> int {
        const unsigned char* staple = nullptr;
        return SSL_get_tlsext_status_ocsp_resp(ssl, &staple) > 0 ? SSL_TLSEXT_ERR_OK : SSL_TLSEXT_ERR_NOACK;
    });
    if (!keylog_path.empty()) {
        std::lock_guard lock(keylog_mutex);
        if (!keylog_file) keylog_file = std::fopen(keylog_path.c_str(), "a");
        if (!keylog_file) throw std::runtime_error("SSLKEYLOGFILE " + keylog_path + ": cannot open for appending");
        SSL_CTX_set_keylog_callback(native, write_keylog_line);
    }
    return ctx;
}

bool apply_certificate(SSL* ssl, const certgen::IssuedCertificate& cert, std::string& error) {
    ERR_clear_error();
    bool ok = SSL_use_certificate(ssl, cert.leaf.get()) == 1 && SSL_use_PrivateKey(ssl, cert.key.get()) == 1;
    if (ok) {
        SSL_clear_chain_certs(ssl);
        for (const auto& extra : cert.chain)
            if (SSL_add1_chain_cert(ssl, extra.get()) != 1) ok = false;
    }
    if (!ok) error = "OpenSSL refused the lab certificate: " + drain_openssl_errors();
    return ok;
}

}  // namespace tlsfault::proxy
