// TlsStream: TLS over a beast::tcp_stream with the interface the proxy used from
// beast::ssl_stream (handshake with already-read bytes, read_some, write_some, shutdown,
// native_handle, next_layer), built on TlsEngine (tls_engine.hpp, which says why).
//
// Each operation follows Asio's ssl::detail::io_op step for step (the same socket operations in
// the same order for a handshake, the same error codes), except that a read hands over every
// record already received and a write sends up to four records in one socket write. The
// socket goes through next_layer(), so its expires_after() deadlines apply unchanged.
#pragma once

#include "proxy/core/tls_engine.hpp"

#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <memory>
#include <optional>
#include <vector>

namespace tlsfault::proxy {

class TlsStream;

namespace tls_stream_detail {

namespace net = boost::asio;
using error_code = boost::system::error_code;

struct Handshake {
    static constexpr bool has_bytes = false;
    bool server;
    TlsWant operator()(TlsEngine& e, error_code& ec, std::size_t&) { return e.handshake(server, ec); }
};

struct BufferedHandshake {  // the bytes given were put into the engine's input first
    static constexpr bool has_bytes = true;
    bool server;
    std::size_t used;
    TlsWant operator()(TlsEngine& e, error_code& ec, std::size_t& n) {
        auto want = e.handshake(server, ec);
        n = used;
        return want;
    }
};

struct Shutdown {
    static constexpr bool has_bytes = false;
    TlsWant operator()(TlsEngine& e, error_code& ec, std::size_t&) { return e.shutdown(ec); }
};

struct Read {
    static constexpr bool has_bytes = true;
    net::mutable_buffer buffer;
    TlsWant operator()(TlsEngine& e, error_code& ec, std::size_t& n) { return e.read(buffer.data(), buffer.size(), ec, n); }
};

struct Write {
    static constexpr bool has_bytes = true;
    net::const_buffer buffer;
    std::vector<char> staged;  ///< several small buffers joined (so they go out as one record)
    TlsWant operator()(TlsEngine& e, error_code& ec, std::size_t& n) { return e.write(buffer.data(), buffer.size(), ec, n); }
};

/// The first non-empty buffer (Asio's ssl::stream reads into that one alone).
template <class Buffers>
net::mutable_buffer first_buffer(const Buffers& buffers) {
    for (auto it = net::buffer_sequence_begin(buffers); it != net::buffer_sequence_end(buffers); ++it)
        if (net::mutable_buffer b(*it); b.size() > 0) return b;
    return {};
}

/// Beast's flat_stream rule: consecutive buffers up to max_write are joined into one write,
/// otherwise the first buffer goes alone.
template <class Buffers>
Write make_write(const Buffers& buffers) {
    Write w;
    auto first = net::buffer_sequence_begin(buffers);
    const auto last = net::buffer_sequence_end(buffers);
    while (first != last && net::const_buffer(*first).size() == 0) ++first;
    if (first == last) return w;
    w.buffer = net::const_buffer(*first);
    std::size_t total = w.buffer.size();
    auto end = std::next(first);
    while (total < TlsEngine::max_write && end != last && total + net::const_buffer(*end).size() <= TlsEngine::max_write)
        total += net::const_buffer(*end++).size();
    if (std::next(first) == end) return w;
    w.staged.reserve(total);
    for (auto it = first; it != end; ++it) {
        net::const_buffer b(*it);
        w.staged.insert(w.staged.end(), static_cast<const char*>(b.data()), static_cast<const char*>(b.data()) + b.size());
    }
    w.buffer = net::buffer(w.staged);
    return w;
}

template <class Action>
class IoOp;

/// Sends what TlsStream::write_now left unsent, then gives the write side back.
struct FlushOp {
    TlsStream& s;
    bool started = false;
    template <class Self>
    void operator()(Self& self, error_code ec = {}, std::size_t = 0);
};

}  // namespace tls_stream_detail

class TlsStream {
public:
    using next_layer_type = boost::beast::tcp_stream;
    using executor_type = next_layer_type::executor_type;

    /// TLS on a stream of its own (an upstream leg).
    TlsStream(const executor_type& ex, boost::asio::ssl::context& ctx) : TlsStream(std::make_optional<next_layer_type>(ex), nullptr, ctx) {}
    TlsStream(next_layer_type&& next, boost::asio::ssl::context& ctx) : TlsStream(std::make_optional(std::move(next)), nullptr, ctx) {}
    /// TLS on the caller's stream, which must outlive this object and is closed with it, as an
    /// owned one would be. Why not a move: Beast's tcp_stream allocates a new 536-byte state on
    /// every move while the moved-from stream keeps its own, so an idle connection held two.
    TlsStream(next_layer_type& borrowed, boost::asio::ssl::context& ctx) : TlsStream(std::nullopt, &borrowed, ctx) {}
    ~TlsStream() {
        if (!owned_) {  // an owned stream closes itself; a borrowed one is closed at the same moment
            boost::system::error_code ignored;
            next_.socket().close(ignored);
        }
    }
    TlsStream(const TlsStream&) = delete;
    TlsStream& operator=(const TlsStream&) = delete;

    executor_type get_executor() { return next_.get_executor(); }
    next_layer_type& next_layer() { return next_; }
    const next_layer_type& next_layer() const { return next_; }
    SSL* native_handle() { return engine_->ssl(); }

    /// Completes with (error_code).
    template <class Token>
    auto async_handshake(boost::asio::ssl::stream_base::handshake_type type, Token&& token) {
        return start<void(boost::system::error_code)>(tls_stream_detail::Handshake{type == boost::asio::ssl::stream_base::server}, token);
    }
    /// `buffers` were already read from the socket (a ClientHello): they are consumed first.
    /// Completes with (error_code, bytes of `buffers` used).
    template <class Buffers, class Token>
    auto async_handshake(boost::asio::ssl::stream_base::handshake_type type, const Buffers& buffers, Token&& token) {
        std::size_t used = 0;
        for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers); ++it) {
            boost::asio::const_buffer b(*it);
            engine_->put_input(b.data(), b.size());
            used += b.size();
        }
        return start<void(boost::system::error_code, std::size_t)>(
            tls_stream_detail::BufferedHandshake{type == boost::asio::ssl::stream_base::server, used}, token);
    }
    template <class Buffers, class Token>
    auto async_read_some(const Buffers& buffers, Token&& token) {
        return start<void(boost::system::error_code, std::size_t)>(tls_stream_detail::Read{tls_stream_detail::first_buffer(buffers)},
                                                                   token);
    }
    /// Reads at once, with no operation, timer or event-loop turn, what needs no waiting: records
    /// already received, and the socket when input is likely (see IoOp). The bytes read; 0 with no
    /// `ec` when the read must wait (async_read_some then). Errors as async_read_some reports them.
    /// Records the read must answer (a TLS 1.2 renegotiation: the handshake, or the alert that
    /// refuses it; OpenSSL answers a KeyUpdate with the next write, not from a read) go out at
    /// once; flush_pending() as after write_now() when the socket did not take them all.
    std::size_t read_now(boost::asio::mutable_buffer buffer, boost::system::error_code& ec);
    /// Plaintext already decrypted and waiting in OpenSSL, copied at once (no socket I/O); 0 when
    /// none. Only between reads: never while an async_read_some is pending.
    std::size_t read_decrypted(boost::asio::mutable_buffer buffer) { return engine_->read_decrypted(buffer.data(), buffer.size()); }
    /// Ciphertext or plaintext read from the socket and not yet returned by a read.
    bool holds_unread_input() const { return engine_->holds_unread_input(); }
    /// The socket was seen readable (an idle wait ended): the next socket read is tried at once.
    void note_readable() { input_likely_ = true; }
    /// The last socket read filled its buffer (or the socket was seen readable since): more may
    /// wait in the socket, so the next read tries it at once. False once a read came back short
    /// or empty, which drained the socket.
    bool input_likely() const { return input_likely_; }
    /// Frees the input buffer when it is drained (between requests; never during a read).
    void release_idle_buffers() { engine_->release_drained_input(); }
    template <class Buffers, class Token>
    auto async_write_some(const Buffers& buffers, Token&& token) {
        return start<void(boost::system::error_code, std::size_t)>(tls_stream_detail::make_write(buffers), token);
    }
    /// Encrypts up to max_write bytes of `data` and sends the records at once, with no operation,
    /// timer or event-loop turn: the plaintext bytes taken (0 while an operation writes, or when
    /// the engine needs the event loop: async_write the rest). If the socket took only part of
    /// the records, flush_pending() is true and async_flush() must send the rest before anything
    /// else is written. `ec` is the engine's or the send's error, as async_write_some reports it.
    std::size_t write_now(boost::asio::const_buffer data, boost::system::error_code& ec);
    bool flush_pending() const { return unsent_ != nullptr; }
    /// Completes with (error_code) when the records write_now() or read_now() left are sent.
    template <class Token>
    auto async_flush(Token&& token) {
        return boost::asio::async_compose<Token, void(boost::system::error_code)>(tls_stream_detail::FlushOp{*this}, token, next_);
    }
    /// Sends close_notify at once, with no operation, timer or event-loop turn, and reads what the
    /// peer has already sent. True when the closing is over: the peer's close_notify or FIN came,
    /// nothing of the peer's waits unread (closing the socket now sends a FIN, not a reset), or it
    /// failed (`ec`: OpenSSL refuses application data after a close_notify with an alert, as in
    /// async_shutdown()). False when the peer must be waited for with async_shutdown(): part of a
    /// record arrived (the rest is on its way), or the socket did not take the close_notify
    /// (flush_pending(): async_flush() first).
    bool close_notify_now(boost::system::error_code& ec);
    /// Closes TLS both ways: close_notify, then the peer's, waited for.
    template <class Token>
    auto async_shutdown(Token&& token) {
        return start<void(boost::system::error_code)>(tls_stream_detail::Shutdown{}, token);
    }

private:
    template <class Action>
    friend class tls_stream_detail::IoOp;
    friend struct tls_stream_detail::FlushOp;

    template <class Signature, class Action, class Token>
    auto start(Action action, Token& token);
    /// Where a second read (or write) waits while another one uses the socket: only a stream
    /// read and written at once (a tunnel, a relay in both directions) needs them, so they are
    /// made on first use rather than kept by every connection (2 x 120 bytes).
    struct Gates {
        explicit Gates(const executor_type& ex) : read(ex, time_point_max()), write(ex, time_point_max()) {}
        // Never expire: cancel() wakes the operations waiting for the socket's read or write.
        static boost::asio::steady_timer::time_point time_point_max() { return boost::asio::steady_timer::time_point::max(); }
        boost::asio::steady_timer read, write;
    };
    Gates& gates() {
        if (!gates_) gates_ = std::make_unique<Gates>(next_.get_executor());
        return *gates_;
    }
    /// Wakes what waits for the socket's read (or write), if anything ever did.
    void open_read_gate() {
        if (gates_) gates_->read.cancel();
    }
    void open_write_gate() {
        if (gates_) gates_->write.cancel();
    }

    /// An operation uses the socket, or records wait to be sent: the *_now calls leave it alone.
    bool busy() const { return reading_ || writing_ || unsent_ || engine_->has_output(); }
    /// Sends the engine's output at once; what the socket does not take waits for async_flush().
    void send_output_now(boost::system::error_code& ec);
    /// When input is likely, reads what the socket holds now into the engine: true when it read
    /// (bytes, or `ec`: eof on an orderly close), false when input was not likely or nothing was
    /// there (then a read must wait).
    bool receive_input_now(boost::system::error_code& ec);

    TlsStream(std::optional<next_layer_type> owned, next_layer_type* borrowed, boost::asio::ssl::context& ctx)
        : owned_(std::move(owned)), next_(owned_ ? *owned_ : *borrowed), engine_(std::make_unique<TlsEngine>(ctx.native_handle())) {}

    std::optional<next_layer_type> owned_;  // declared first: next_ may refer to it
    next_layer_type& next_;
    std::unique_ptr<TlsEngine> engine_;          // fixed address: its BIO points at it
    bool reading_ = false, writing_ = false;     // one socket read and one socket write at a time
    bool input_likely_ = false;                  // try the next socket read at once (IoOp::read_input)
    const std::vector<char>* unsent_ = nullptr;  // records write_now() could not send (writing_ is then set)
    std::size_t unsent_from_ = 0;
    std::unique_ptr<Gates> gates_;
};

namespace tls_stream_detail {

/// Sends `bytes` from `sent` on now, without waiting: true when done (all sent, or `ec` set),
/// false when the socket's buffer is full (the rest goes through the event loop). Errors are
/// those Asio's send reports (errno in the system category; MSG_NOSIGNAL as Asio's).
bool send_now(net::ip::tcp::socket& socket, const std::vector<char>& bytes, std::size_t& sent, error_code& ec);

/// One TLS operation: run the engine step, do the socket I/O it asks for, repeat (Asio's io_op).
/// A write is tried at once (send_now) and waits in the event loop only when the socket's buffer
/// is full: a relayed response or a bulk record is sent without an Asio operation, a Beast timer
/// and a scheduler round each. A read is tried at once only when input is likely (the caller saw
/// the socket readable, or the last read filled its buffer); otherwise it waits as Asio's do, since
/// a read tried on a drained socket finds nothing and costs a system call.
template <class Action>
class IoOp {
public:
    IoOp(TlsStream& stream, Action action) : s_(stream), action_(std::move(action)) {}

    template <class Self>
    void operator()(Self& self, error_code ec = {}, std::size_t n = 0) {
        const bool initiating = step_ == Step::start;
        switch (step_) {
        case Step::start:
        case Step::read_gate: break;  // (re)run the engine step
        case Step::posted: return finish(self);
        case Step::write_gate:
            if (!write_output(self)) return;
            if (ec_ || want_ == TlsWant::output) return finish(self);
            break;
        case Step::reading:
            s_.reading_ = false;
            got(ec, n);
            if (ec_) return finish(self);
            break;
        case Step::writing:
            s_.writing_ = false;
            written(ec);
            if (ec_ || want_ == TlsWant::output) return finish(self);
            break;
        }
        for (;;) {
            want_ = action_(*s_.engine_, ec_, bytes_);
            switch (want_) {
            case TlsWant::input_and_retry:
                if (!read_input(self)) return;
                if (ec_) break;
                continue;  // read at once: run the engine step again
            case TlsWant::output_and_retry:
            case TlsWant::output:
                if (!write_output(self)) return;
                if (ec_ || want_ == TlsWant::output) break;
                continue;  // sent at once: run the engine step again
            case TlsWant::nothing: break;
            }
            break;
        }
        if (!initiating) return finish(self);
        step_ = Step::posted;  // never complete inside the initiating call
        net::post(std::move(self));
    }

private:
    enum class Step { start, reading, writing, read_gate, write_gate, posted };

    /// True when input arrived at once (or the read failed: ec_); false when an operation waits.
    template <class Self>
    bool read_input(Self& self) {
        if (s_.reading_) {
            step_ = Step::read_gate;
            s_.gates().read.async_wait(std::move(self));
            return false;
        }
        error_code ec;
        if (s_.receive_input_now(ec)) {
            if (!ec_) ec_ = ec;
            return true;
        }
        auto [data, size] = s_.engine_->prepare_input();
        read_size_ = size;
        s_.reading_ = true;
        step_ = Step::reading;
        s_.next_.async_read_some(net::buffer(data, size), std::move(self));
        return false;
    }

    /// The socket read under way completed.
    void got(const error_code& ec, std::size_t n) {
        s_.open_read_gate();
        s_.engine_->commit_input(n);
        s_.input_likely_ = !ec && n == read_size_;  // a full buffer: more is probably waiting
        if (!ec_) ec_ = ec;
    }

    /// True when the output went out at once (or failed: ec_); false when an operation waits.
    template <class Self>
    bool write_output(Self& self) {
        if (s_.writing_) {
            step_ = Step::write_gate;
            s_.gates().write.async_wait(std::move(self));
            return false;
        }
        const auto& bytes = s_.engine_->take_output();
        std::size_t sent = 0;
        error_code ec;
        if (send_now(s_.next_.socket(), bytes, sent, ec)) {
            written(ec);
            return true;
        }
        s_.writing_ = true;
        step_ = Step::writing;
        net::async_write(s_.next_, net::buffer(bytes) + sent, std::move(self));
        return false;
    }

    void written(const error_code& ec) {
        s_.engine_->output_written();
        s_.open_write_gate();
        if (!ec_) ec_ = ec;
    }

    template <class Self>
    void finish(Self& self) {
        auto ec = s_.engine_->map_eof(ec_);
        if constexpr (Action::has_bytes)
            self.complete(ec, ec_ ? 0 : bytes_);
        else
            self.complete(ec);
    }

    TlsStream& s_;
    Action action_;
    Step step_ = Step::start;
    TlsWant want_ = TlsWant::nothing;
    error_code ec_;
    std::size_t bytes_ = 0;
    std::size_t read_size_ = 0;  // of the socket read under way
};

}  // namespace tls_stream_detail

template <class Self>
void tls_stream_detail::FlushOp::operator()(Self& self, error_code ec, std::size_t) {
    if (!started) {
        started = true;
        net::async_write(s.next_, net::buffer(*s.unsent_) + s.unsent_from_, std::move(self));
        return;
    }
    s.unsent_ = nullptr;
    s.writing_ = false;
    s.engine_->output_written();
    s.open_write_gate();
    self.complete(ec);
}

template <class Signature, class Action, class Token>
auto TlsStream::start(Action action, Token& token) {
    return boost::asio::async_compose<Token, Signature>(tls_stream_detail::IoOp<Action>(*this, std::move(action)), token, next_);
}

}  // namespace tlsfault::proxy
