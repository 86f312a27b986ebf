// See tls_stream.hpp: the read and the write TlsStream tries before it waits.
#include "proxy/core/tls_stream.hpp"

#include <cerrno>
#include <sys/socket.h>

namespace tlsfault::proxy::tls_stream_detail {

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

std::size_t TlsStream::write_now(boost::asio::const_buffer data, boost::system::error_code& ec) {
    ec = {};
    if (writing_ || unsent_ || engine_->has_output()) return 0;
    std::size_t taken = 0;
    const TlsWant want = engine_->write(data.data(), data.size(), ec, taken);
    if (want != TlsWant::output && want != TlsWant::output_and_retry) return taken;  // an error, or input needed first
    const auto& records = engine_->take_output();
    std::size_t sent = 0;
    boost::system::error_code send_ec;
    if (tls_stream_detail::send_now(next_.socket(), records, sent, send_ec)) {
        engine_->output_written();
        if (!ec) ec = send_ec;
        return taken;
    }
    unsent_ = &records;  // the engine keeps them until output_written()
    unsent_from_ = sent;
    writing_ = true;  // an async write waits at the gate until async_flush() is done
    return taken;
}

}  // namespace tlsfault::proxy
