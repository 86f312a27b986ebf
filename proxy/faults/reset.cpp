#include "proxy/faults/reset.hpp"

#include "proxy/faults/tcp_fault.hpp"

namespace tlsfault::proxy::faults {

void close_with_reset(tcp::socket& socket) {
    error_code ignored;
    socket.set_option(net::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
}

}  // namespace tlsfault::proxy::faults
