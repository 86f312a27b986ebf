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
