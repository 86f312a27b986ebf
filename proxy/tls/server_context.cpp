// Server SSL_CTX set-up and per-connection certificate selection.
#include "proxy/tls/server_context.hpp"

#include "proxy/tls/alpn_select.hpp"

#include <openssl/err.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <stdexcept>

namespace tlsfault::proxy {
namespace {

// The key log is process-wide, like the SSLKEYLOGFILE convention it follows; a second file (the
// repro bundle's keylog.txt) may get the same lines, and the control API keeps recent ones in
// memory (by client random) to hand out one connection's lines.
std::mutex keylog_mutex;
std::FILE* keylog_files[2] = {nullptr, nullptr};
KeylogLines* keylog_memory = nullptr;

void write_keylog_line(const SSL* /*ssl*/, const char* line) {
    std::lock_guard lock(keylog_mutex);
    if (keylog_memory) keylog_memory->add(line);
    for (std::FILE* file : keylog_files) {
        if (!file) continue;
        std::fprintf(file, "%s\n", line);
        std::fflush(file);  // Wireshark reads it live
    }
}

/// Opens the key log for appending, mode 0600 whatever the umask: it holds every session's
/// secrets. An existing file of ours is narrowed to 0600 too. nullptr on failure.
std::FILE* open_private_for_append(const std::string& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return nullptr;
    ::fchmod(fd, 0600);  // fails harmlessly on a file owned by someone else
    std::FILE* file = ::fdopen(fd, "a");
    if (!file) ::close(fd);
    return file;
}

/// Opens `path` for appending into `slot` (once per process); throws naming it when it cannot.
void open_keylog(std::FILE*& slot, const std::string& path, const char* what) {
    if (!slot) slot = open_private_for_append(path);
    if (!slot) throw std::runtime_error(std::string(what) + " " + path + ": cannot open for appending");
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

boost::asio::ssl::context make_server_context(const std::string& keylog_path, const std::string& keylog_copy_path, KeylogLines* remember) {
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
    SSL_CTX_set_tlsext_status_cb(
        native, +[](SSL* ssl, void*) -> int {
            const unsigned char* staple = nullptr;
            return SSL_get_tlsext_status_ocsp_resp(ssl, &staple) > 0 ? SSL_TLSEXT_ERR_OK : SSL_TLSEXT_ERR_NOACK;
        });
    if (!keylog_path.empty() || !keylog_copy_path.empty()) {
        std::lock_guard lock(keylog_mutex);
        if (!keylog_path.empty()) open_keylog(keylog_files[0], keylog_path, "SSLKEYLOGFILE");
        if (!keylog_copy_path.empty()) open_keylog(keylog_files[1], keylog_copy_path, "bundle key log");
        keylog_memory = remember;  // the newest engine's (a null one stops keeping lines)
        SSL_CTX_set_keylog_callback(native, write_keylog_line);
    }
    return ctx;
}

bool apply_certificate(SSL* ssl, const certgen::IssuedCertificate& cert, std::string& error) {
    ERR_clear_error();
    // Leaf, key and chain in one call (the chain's certificates are up-referenced, the stack
    // is copied): SSL_use_certificate, SSL_use_PrivateKey and SSL_add1_chain_cert each ran
    // OpenSSL's lookups and checks again: ~42,000 instructions per connection against ~28,000
    // (callgrind, docs/performance.md). The key is still checked against the leaf, once.
    STACK_OF(X509)* chain = nullptr;
    if (!cert.chain.empty()) {
        chain = sk_X509_new_reserve(nullptr, static_cast<int>(cert.chain.size()));
        for (const auto& extra : cert.chain)
            if (chain) sk_X509_push(chain, extra.get());
    }
    const bool ok = (cert.chain.empty() || chain) && SSL_use_cert_and_key(ssl, cert.leaf.get(), cert.key.get(), chain, 1) == 1;
    sk_X509_free(chain);  // the stack only: SSL_use_cert_and_key took its own references
    if (!ok) error = "OpenSSL refused the lab certificate: " + drain_openssl_errors();
    return ok;
}

}  // namespace tlsfault::proxy
