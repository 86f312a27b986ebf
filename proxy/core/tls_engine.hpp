// The OpenSSL side of TlsStream (tls_stream.hpp): one SSL object whose BIO reads ciphertext from an
// input buffer filled by socket reads and appends the ciphertext it writes to an output buffer.
//
// Why not Asio's ssl::stream: its engine moves at most one 16 KiB record per socket operation
// through a fixed 17 KiB BIO pair (several event-loop handlers per record: ~450,000 epoll_wait
// for a 256 MiB relay) and holds 68 KiB of buffers per stream for the stream's whole life, idle
// or not. Here a socket read takes what is available (up to big_input) and a write sends every
// record of a 64 KiB write at once; buffers exist only while bytes are in them.
//
// perform() and map_eof() reproduce Asio's engine (boost/asio/ssl/detail/impl/engine.ipp) result
// for result, so every error code (and so every verdict and its reason) is what it was.
#pragma once

#include <boost/system/error_code.hpp>

#include <openssl/ssl.h>

#include <cstddef>
#include <memory>
#include <vector>

namespace tlsfault::proxy {

/// What the engine needs before an operation can go on (Asio's engine::want, same meaning).
enum class TlsWant { nothing, input_and_retry, output_and_retry, output };

class TlsEngine {
public:
    /// A fresh SSL from `ctx`, with Asio's modes but partial writes (moving write buffer, release buffers).
    explicit TlsEngine(SSL_CTX* ctx);
    ~TlsEngine();
    TlsEngine(const TlsEngine&) = delete;
    TlsEngine& operator=(const TlsEngine&) = delete;

    SSL* ssl() const { return ssl_; }

    TlsWant handshake(bool server, boost::system::error_code& ec);
    /// Plaintext into `data`: as many records as the buffered ciphertext holds, up to `size`.
    TlsWant read(void* data, std::size_t size, boost::system::error_code& ec, std::size_t& bytes);
    /// Plaintext OpenSSL has already decrypted and holds (the rest of a record a short read left),
    /// copied into `data` with no socket I/O and no record processing; 0 when there is none or a
    /// deferred result waits for the next read().
    std::size_t read_decrypted(void* data, std::size_t size);
    /// Bytes read from the socket that a read() would return or process without socket I/O.
    bool holds_unread_input() const;
    /// Frees the input buffer if every byte in it was consumed.
    void release_drained_input();
    /// Up to max_write bytes of `data` become records in the output buffer.
    TlsWant write(const void* data, std::size_t size, boost::system::error_code& ec, std::size_t& bytes);
    TlsWant shutdown(boost::system::error_code& ec);

    /// Asio's map_error_code: an EOF before the peer's close_notify is stream_truncated.
    boost::system::error_code map_eof(const boost::system::error_code& ec) const;

    /// Where the next socket read goes: empty input only (every byte read was consumed).
    std::pair<char*, std::size_t> prepare_input();
    /// `n` bytes arrived at prepare_input()'s buffer.
    void commit_input(std::size_t n);
    /// Bytes the caller already read from the socket (the ClientHello): consumed first.
    void put_input(const void* data, std::size_t size);

    /// Ciphertext waiting to be sent; take_output() hands it over (the buffer then belongs to
    /// the writer until output_written()), so records written meanwhile queue behind it.
    bool has_output() const { return !out_.empty(); }
    const std::vector<char>& take_output();
    void output_written();

    /// Plaintext bytes OpenSSL may return per write() call (four full records).
    static constexpr std::size_t max_write = 64 * 1024;

private:
    using Op = int (TlsEngine::*)(void*, std::size_t);
    TlsWant perform(Op op, void* data, std::size_t size, boost::system::error_code& ec, std::size_t* bytes);
    int do_accept(void*, std::size_t);
    int do_connect(void*, std::size_t);
    int do_read(void* data, std::size_t size);
    int do_write(void* data, std::size_t size);
    int do_shutdown(void*, std::size_t);

    friend struct TlsEngineBio;
    SSL* ssl_ = nullptr;
    // Input: [in_begin_, in_end_) of in_ is ciphertext read but not yet consumed by OpenSSL.
    std::unique_ptr<char[]> in_;
    std::size_t in_capacity_ = 0, in_begin_ = 0, in_end_ = 0;
    bool bulk_input_ = false;  ///< the last socket read filled its buffer: more is probably waiting
    std::vector<char> out_, writing_;
    // A second SSL_read in one read() failed: its result is the next read()'s (nothing is lost).
    bool deferred_ = false;
    TlsWant deferred_want_ = TlsWant::nothing;
    boost::system::error_code deferred_ec_;
};

}  // namespace tlsfault::proxy
