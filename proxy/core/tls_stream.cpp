// See tls_stream.hpp: the read and the write TlsStream tries before it waits.
#include "proxy/core/tls_stream.hpp"

#include <cerrno>
#include <sys/socket.h>

namespace tlsfault::proxy::tls_stream_detail {

namespace {

/// Reads what the socket holds now into `data`, without waiting: true when done (`got` bytes, or
/// `ec` set: eof on an orderly close, as Asio's read reports it), false when nothing is there.
bool receive_now(net::ip::tcp::socket& socket, char* data, std::size_t size, std::size_t& got, error_code& ec) {
    for (;;) {
        const ssize_t n = ::recv(socket.native_handle(), data, size, MSG_DONTWAIT);
        if (n > 0) {
            got = static_cast<std::size_t>(n);
            return true;
        }
        if (n == 0) {
            ec = net::error::eof;
            return true;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
        ec = error_code(errno, net::error::get_system_category());
        return true;
    }
}

}  // namespace

bool send_now(net::ip::tcp::socket& socket, const std::vector<char>& bytes, std::size_t& sent, error_code& ec) {
    for (;;) {
        const ssize_t n = ::send(socket.native_handle(), bytes.data() + sent, bytes.size() - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n >= 0) {
            sent += static_cast<std::size_t>(n);
            return sent == bytes.size();  // short: the buffer is full, and another send now would find it so
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
        ec = error_code(errno, net::error::get_system_category());  // a closed socket: EBADF, as Asio's bad_descriptor
        return true;
    }
}

}  // namespace tlsfault::proxy::tls_stream_detail

namespace tlsfault::proxy {

void TlsStream::send_output_now(boost::system::error_code& ec) {
    const auto& records = engine_->take_output();
    std::size_t sent = 0;
    boost::system::error_code send_ec;
    if (tls_stream_detail::send_now(next_.socket(), records, sent, send_ec)) {
        engine_->output_written();
        if (!ec) ec = send_ec;
        return;
    }
    unsent_ = &records;  // the engine keeps them until output_written()
    unsent_from_ = sent;
    writing_ = true;  // an async write waits at the gate until async_flush() is done
}

bool TlsStream::receive_input_now(boost::system::error_code& ec) {
    if (!input_likely_) return false;
    input_likely_ = false;
    auto [data, size] = engine_->prepare_input();
    std::size_t got = 0;
    if (!tls_stream_detail::receive_now(next_.socket(), data, size, got, ec)) return false;
    engine_->commit_input(got);
    input_likely_ = !ec && got == size;  // a full buffer: more is probably waiting
    return true;
}

std::size_t TlsStream::write_now(boost::asio::const_buffer data, boost::system::error_code& ec) {
    ec = {};
    if (writing_ || unsent_ || engine_->has_output()) return 0;
    std::size_t taken = 0;
    const TlsWant want = engine_->write(data.data(), data.size(), ec, taken);
    if (want == TlsWant::output || want == TlsWant::output_and_retry) send_output_now(ec);
    return taken;  // output_and_retry (never with this engine's BIO): the caller's async_write goes on
}

bool TlsStream::close_notify_now(boost::system::error_code& ec) {
    ec = {};
    if (busy()) return false;
    input_likely_ = true;  // one read tells whether the peer's close_notify (or anything) is in
    bool received = false;
    for (;;) {
        const TlsWant want = engine_->shutdown(ec);
        if (want == TlsWant::output || want == TlsWant::output_and_retry) {  // close_notify, or an alert with `ec`
            send_output_now(ec);
            if (unsent_) return false;
            if (ec || want == TlsWant::output) return true;  // failed, or closed both ways
            continue;
        }
        if (ec || want == TlsWant::nothing) return true;
        if (!receive_input_now(ec)) return !received;  // nothing there: close now; part of a record: wait
        if (ec) return true;                           // the peer closed its side too
        received = true;
    }
}

std::size_t TlsStream::read_now(boost::asio::mutable_buffer buffer, boost::system::error_code& ec) {
    ec = {};
    if (busy()) return 0;
    if (!input_likely_ && !engine_->holds_unread_input()) return 0;  // nothing to read without waiting: spare SSL_read's attempt
    for (;;) {
        std::size_t n = 0;
        const TlsWant want = engine_->read(buffer.data(), buffer.size(), ec, n);
        switch (want) {
        case TlsWant::nothing: break;
        case TlsWant::input_and_retry:
            if (!ec) {
                if (!receive_input_now(ec)) return 0;  // the caller's read waits
                if (!ec) continue;
            }
            break;
        case TlsWant::output:
        case TlsWant::output_and_retry:
            send_output_now(ec);
            if (want == TlsWant::output_and_retry && !ec && !unsent_) continue;
            break;
        }
        if (ec) {  // as IoOp::finish: no bytes with an error
            ec = engine_->map_eof(ec);
            return 0;
        }
        return n;
    }
}

}  // namespace tlsfault::proxy
