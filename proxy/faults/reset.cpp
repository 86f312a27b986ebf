#include "proxy/faults/reset.hpp"

#include "proxy/faults/tcp_fault.hpp"

namespace tlsfault::proxy::faults {

void close_with_reset(tcp::socket& socket) {
    error_code ignored;
    socket.set_option(net::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
}

std::string describe_reset(const scenarios::ResetSettings& settings) {
    return settings.timeout.count() > 0 ? "reset after " + duration_text(settings.timeout) : "reset at once";
}

}  // namespace tlsfault::proxy::faults
