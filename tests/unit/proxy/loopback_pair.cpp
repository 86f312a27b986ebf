#include "tests/unit/proxy/loopback_pair.hpp"

#include <doctest/doctest.h>

namespace tlsfault::test {

using proxy::tcp;

std::pair<tcp::socket, tcp::socket> loopback_pair(proxy::net::io_context& ioc, int buffer_bytes) {
    tcp::acceptor acceptor(ioc, tcp::endpoint(proxy::net::ip::make_address("127.0.0.1"), 0));
    tcp::socket first(ioc);
    if (buffer_bytes > 0) {  // before connecting, so the window is sized from the start
        first.open(tcp::v4());
        first.set_option(proxy::net::socket_base::send_buffer_size(buffer_bytes));
        first.set_option(proxy::net::socket_base::receive_buffer_size(buffer_bytes));
        acceptor.set_option(proxy::net::socket_base::receive_buffer_size(buffer_bytes));
    }
    first.connect(acceptor.local_endpoint());
    tcp::socket second = acceptor.accept();
    if (buffer_bytes > 0) {
        second.set_option(proxy::net::socket_base::send_buffer_size(buffer_bytes));
        second.set_option(proxy::net::socket_base::receive_buffer_size(buffer_bytes));
    }
    return {std::move(first), std::move(second)};
}

bool run_until(proxy::net::io_context& ioc, const std::function<bool()>& done, std::chrono::milliseconds deadline) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (!done() && std::chrono::steady_clock::now() < end) {
        if (ioc.stopped()) ioc.restart();
        ioc.run_for(std::chrono::milliseconds(5));
    }
    return done();
}

void spawn(proxy::net::io_context& ioc, proxy::net::awaitable<void> task) {
    proxy::net::co_spawn(ioc, std::move(task), [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
    });
}

}  // namespace tlsfault::test
