// Small responses tlsfault writes itself (errors, 100 Continue, 407): one helper, one format.
#pragma once

#include "proxy/core/net.hpp"

#include <boost/beast/http.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tlsfault::proxy {

namespace http = boost::beast::http;

/// Writes a complete text/plain response; the body names tlsfault so nobody mistakes it for
/// the upstream's answer. `reason`, when given, replaces the status's standard reason phrase.
template <class Stream>
net::awaitable<error_code> send_simple_response(Stream& stream, http::status status, std::string body, bool keep_alive,
                                                std::chrono::milliseconds timeout,
                                                std::vector<std::pair<std::string, std::string>> headers = {}, std::string reason = {}) {
    http::response<http::string_body> res{status, 11};
    if (!reason.empty()) res.reason(reason);
    res.set(http::field::server, "tlsfault");
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    for (auto& [name, value] : headers) res.set(name, value);
    res.body() = "tlsfault: " + std::move(body) + "\n";
    res.keep_alive(keep_alive);
    res.prepare_payload();
    beast::get_lowest_layer(stream).expires_after(timeout);
    auto [ec, n] = co_await http::async_write(stream, res, nothrow);
    co_return ec;
}

/// After refusing a request the client is still sending (a huge header): read and drop what
/// keeps coming, bounded in bytes and time, so that closing does not reset the connection
/// before the client has read the refusal.
template <class Stream>
net::awaitable<void> drain_before_close(Stream& stream, std::size_t max_bytes = 4 * 1024 * 1024,
                                        std::chrono::milliseconds max_time = std::chrono::seconds(2)) {
    auto scratch = std::make_unique<char[]>(16 * 1024);
    beast::get_lowest_layer(stream).expires_after(max_time);
    for (std::size_t total = 0; total < max_bytes;) {
        auto [ec, n] = co_await stream.async_read_some(net::buffer(scratch.get(), 16 * 1024), nothrow);
        if (ec) break;
        total += n;
    }
}

}  // namespace tlsfault::proxy
