// See tls_engine.hpp. The BIO is the only place OpenSSL touches the buffers.
#include "proxy/core/tls_engine.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>

#include <openssl/err.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <new>

namespace tlsfault::proxy {
namespace {

/// A socket read while nothing suggests more is waiting (a request, a handshake message, an
/// idle wait): small, because an idle kept-alive connection holds it. The client-facing (server)
/// side reads requests: 512 bytes hold a GET from curl, wrk or Python and its record. The upstream
/// (client) side reads responses: 2 KiB, so a small answer is still one read (512 bytes cost the
/// forwarding path a second read and a big_input buffer per 1 KiB response). A read that fills
/// its buffer makes the next one big_input.
constexpr std::size_t request_input = 512;
constexpr std::size_t response_input = 2 * 1024;
/// A socket read while a transfer is under way: four full records and change.
constexpr std::size_t big_input = 66 * 1024;
/// Output buffers that sent less than this are given back; a bulk writer keeps its capacity.
constexpr std::size_t keep_output_capacity = 16 * 1024;

int clamp_int(std::size_t size) { return size < INT_MAX ? static_cast<int>(size) : INT_MAX; }

}  // namespace

/// The BIO_METHOD: reads from the engine's input, appends to its output, never blocks.
struct TlsEngineBio {
    static TlsEngine& engine(BIO* bio) { return *static_cast<TlsEngine*>(BIO_get_data(bio)); }

    static int write(BIO* bio, const char* data, std::size_t size, std::size_t* written) {
        BIO_clear_retry_flags(bio);
        auto& out = engine(bio).out_;
        out.insert(out.end(), data, data + size);
        *written = size;
        return 1;
    }
    static int read(BIO* bio, char* data, std::size_t size, std::size_t* got) {
        BIO_clear_retry_flags(bio);
        auto& e = engine(bio);
        const std::size_t n = std::min(size, e.in_end_ - e.in_begin_);
        *got = n;
        if (n == 0) {
            BIO_set_retry_read(bio);  // OpenSSL reports WANT_READ; the stream reads the socket
            return 0;
        }
        std::memcpy(data, e.in_.get() + e.in_begin_, n);
        e.in_begin_ += n;
        return 1;
    }
    static long ctrl(BIO* bio, int cmd, long, void*) {
        switch (cmd) {
        case BIO_CTRL_FLUSH: return 1;
        case BIO_CTRL_PENDING: return static_cast<long>(engine(bio).in_end_ - engine(bio).in_begin_);
        case BIO_CTRL_WPENDING: return static_cast<long>(engine(bio).out_.size());
        default: return 0;
        }
    }
    static int create(BIO* bio) {
        BIO_set_init(bio, 1);
        return 1;
    }
    static const BIO_METHOD* method() {
        static BIO_METHOD* const m = [] {
            BIO_METHOD* made = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "tlsfault stream");
            if (!made || !BIO_meth_set_write_ex(made, write) || !BIO_meth_set_read_ex(made, read) || !BIO_meth_set_ctrl(made, ctrl) ||
                !BIO_meth_set_create(made, create))
                throw std::bad_alloc();
            return made;
        }();
        return m;
    }
};

TlsEngine::TlsEngine(SSL_CTX* ctx) : ssl_(SSL_new(ctx)) {
    if (!ssl_) {
        boost::system::error_code ec(static_cast<int>(ERR_get_error()), boost::asio::error::get_ssl_category());
        throw boost::system::system_error(ec, "SSL_new");
    }
    // Not Asio's SSL_MODE_ENABLE_PARTIAL_WRITE: with it SSL_write returns after each record, so a
    // 64 KiB relay write took four engine steps and four socket writes. This BIO never refuses a
    // write, so without it SSL_write encrypts all it is given (up to max_write) and the records,
    // the same records, go out in one socket write.
    SSL_set_mode(ssl_, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
    BIO* bio = BIO_new(TlsEngineBio::method());
    if (!bio) {
        SSL_free(ssl_);
        throw std::bad_alloc();
    }
    BIO_set_data(bio, this);
    SSL_set_bio(ssl_, bio, bio);  // one reference, owned by the SSL
}

TlsEngine::~TlsEngine() { SSL_free(ssl_); }

TlsWant TlsEngine::perform(Op op, void* data, std::size_t size, boost::system::error_code& ec, std::size_t* bytes) {
    namespace ssl_error_ns = boost::asio::ssl::error;
    const std::size_t output_before = out_.size();
    // The queue must be empty for SSL_get_error to be right. It nearly always is, and looking
    // costs a quarter of clearing (OpenSSL 3 clears all 16 slots): ~6 clears per relayed request.
    if (ERR_peek_error() != 0) ERR_clear_error();
    const int result = (this->*op)(data, size);
    const int ssl_error = result > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl_, result);
    const int sys_error = result > 0 ? 0 : static_cast<int>(ERR_get_error());
    const std::size_t output_after = out_.size();
    if (ssl_error == SSL_ERROR_SSL || ssl_error == SSL_ERROR_SYSCALL) {
        if (ssl_error == SSL_ERROR_SYSCALL && sys_error == 0)
            ec = ssl_error_ns::unspecified_system_error;
        else
            ec = boost::system::error_code(sys_error, boost::asio::error::get_ssl_category());
        return output_after > output_before ? TlsWant::output : TlsWant::nothing;
    }
    if (result > 0 && bytes) *bytes = static_cast<std::size_t>(result);
    ec = {};
    if (ssl_error == SSL_ERROR_WANT_WRITE) return TlsWant::output_and_retry;
    if (output_after > output_before) return result > 0 ? TlsWant::output : TlsWant::output_and_retry;
    if (ssl_error == SSL_ERROR_WANT_READ) return TlsWant::input_and_retry;
    if (ssl_error == SSL_ERROR_ZERO_RETURN) {
        ec = boost::asio::error::eof;
        return TlsWant::nothing;
    }
    if (ssl_error != SSL_ERROR_NONE) ec = ssl_error_ns::unexpected_result;
    return TlsWant::nothing;
}

int TlsEngine::do_accept(void*, std::size_t) { return SSL_accept(ssl_); }
int TlsEngine::do_connect(void*, std::size_t) { return SSL_connect(ssl_); }
int TlsEngine::do_read(void* data, std::size_t size) { return SSL_read(ssl_, data, clamp_int(size)); }
int TlsEngine::do_write(void* data, std::size_t size) { return SSL_write(ssl_, data, clamp_int(size)); }
int TlsEngine::do_shutdown(void*, std::size_t) {
    int result = SSL_shutdown(ssl_);
    if (result == 0) result = SSL_shutdown(ssl_);
    return result;
}

TlsWant TlsEngine::handshake(bool server, boost::system::error_code& ec) {
    return perform(server ? &TlsEngine::do_accept : &TlsEngine::do_connect, nullptr, 0, ec, nullptr);
}

TlsWant TlsEngine::read(void* data, std::size_t size, boost::system::error_code& ec, std::size_t& bytes) {
    bytes = 0;
    if (deferred_) {
        deferred_ = false;
        ec = deferred_ec_;
        return deferred_want_;
    }
    ec = {};
    if (size == 0) return TlsWant::nothing;
    TlsWant want = perform(&TlsEngine::do_read, data, size, ec, &bytes);
    if (want != TlsWant::nothing || ec || bytes == 0) return want;
    // More records already buffered: hand them over in this same operation.
    while (bytes < size && (in_begin_ < in_end_ || SSL_pending(ssl_) > 0)) {
        boost::system::error_code more_ec;
        std::size_t more = 0;
        const TlsWant next = perform(&TlsEngine::do_read, static_cast<char*>(data) + bytes, size - bytes, more_ec, &more);
        if (!more_ec && more > 0 && (next == TlsWant::nothing || next == TlsWant::output)) {
            bytes += more;
            if (next == TlsWant::output) return next;  // a post-handshake reply to send first
            continue;
        }
        if (!more_ec && next == TlsWant::input_and_retry) break;  // a partial record: later
        deferred_ = true;                                         // close_notify, an error or output to send: the next read() reports it
        deferred_want_ = next;
        deferred_ec_ = more_ec;
        break;
    }
    if (!bulk_input_) release_drained_input();  // drained, nothing more waiting: no buffer while idle
    return TlsWant::nothing;
}

std::size_t TlsEngine::read_decrypted(void* data, std::size_t size) {
    if (deferred_ || size == 0 || SSL_pending(ssl_) <= 0) return 0;
    // Only buffered plaintext is copied: SSL_read reads no record, so it can neither fail nor
    // produce output here.
    const int n = SSL_read(ssl_, data, clamp_int(std::min<std::size_t>(size, static_cast<std::size_t>(SSL_pending(ssl_)))));
    if (n > 0) return static_cast<std::size_t>(n);
    ERR_clear_error();
    return 0;
}

bool TlsEngine::holds_unread_input() const { return deferred_ || in_begin_ < in_end_ || SSL_has_pending(ssl_) == 1; }

void TlsEngine::release_drained_input() {
    if (in_begin_ < in_end_) return;
    in_.reset();
    in_capacity_ = in_begin_ = in_end_ = 0;
    bulk_input_ = false;
}

TlsWant TlsEngine::write(const void* data, std::size_t size, boost::system::error_code& ec, std::size_t& bytes) {
    bytes = 0;
    ec = {};
    if (size == 0) return TlsWant::nothing;
    size = std::min(size, max_write);
    out_.reserve(out_.size() + size + (size / (16 * 1024) + 1) * 64);  // records add at most ~30 bytes each
    return perform(&TlsEngine::do_write, const_cast<void*>(data), size, ec, &bytes);
}

TlsWant TlsEngine::shutdown(boost::system::error_code& ec) { return perform(&TlsEngine::do_shutdown, nullptr, 0, ec, nullptr); }

boost::system::error_code TlsEngine::map_eof(const boost::system::error_code& ec) const {
    if (ec != boost::asio::error::eof) return ec;
    if (in_begin_ < in_end_) return boost::asio::ssl::error::stream_truncated;  // ciphertext left unread
    if ((SSL_get_shutdown(ssl_) & SSL_RECEIVED_SHUTDOWN) == 0) return boost::asio::ssl::error::stream_truncated;
    return ec;
}

std::pair<char*, std::size_t> TlsEngine::prepare_input() {
    in_begin_ = in_end_ = 0;
    const std::size_t wanted = bulk_input_ ? big_input : SSL_is_server(ssl_) ? request_input : response_input;
    if (in_capacity_ != wanted) {
        in_.reset(new char[wanted]);  // not zeroed: written by the read before OpenSSL sees it
        in_capacity_ = wanted;
    }
    return {in_.get(), in_capacity_};
}

void TlsEngine::commit_input(std::size_t n) {
    in_end_ = n;
    bulk_input_ = n == in_capacity_;
}

void TlsEngine::put_input(const void* data, std::size_t size) {
    if (size == 0) return;
    const std::size_t kept = in_end_ - in_begin_;
    const std::size_t capacity = std::max(request_input, kept + size);
    std::unique_ptr<char[]> joined(new char[capacity]);
    if (kept > 0) std::memcpy(joined.get(), in_.get() + in_begin_, kept);
    std::memcpy(joined.get() + kept, data, size);
    in_ = std::move(joined);
    in_capacity_ = capacity;
    in_begin_ = 0;
    in_end_ = kept + size;
}

const std::vector<char>& TlsEngine::take_output() {
    writing_.swap(out_);
    return writing_;
}

void TlsEngine::output_written() {
    const bool small = writing_.size() < keep_output_capacity;
    writing_.clear();
    if (small && writing_.capacity() > 0) std::vector<char>().swap(writing_);
}

}  // namespace tlsfault::proxy
