// Blocking sockets with poll() deadlines: `check` makes one call at a time, so an event loop
// would only add weight. Requests say `Connection: close`; the body is read by Content-Length.
#include "cli/check/api_client.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <netdb.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace tlsfault::cli::check {
namespace {

using Clock = std::chrono::steady_clock;

int left_ms(Clock::time_point end) {
    return static_cast<int>(std::max<long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count()));
}

/// A connected socket, or -1.
int connect_to(const std::string& host, const std::string& port) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0) return -1;
    int fd = -1;
    for (auto* a = found; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(found);
    return fd;
}

bool send_all(int fd, const std::string& data) {
    for (std::size_t sent = 0; sent < data.size();) {
        const ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

/// Reads until the whole response (by Content-Length) or EOF; throws on the deadline.
std::string read_response(int fd, Clock::time_point end) {
    std::string data;
    char buf[16384];
    for (;;) {
        const auto header_end = data.find("\r\n\r\n");
        if (header_end != std::string::npos) {
            std::string head = data.substr(0, header_end);
            for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            const auto at = head.find("\r\ncontent-length:");
            if (at != std::string::npos && data.size() >= header_end + 4 + std::stoul(head.substr(at + 17))) return data;
        }
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, left_ms(end)) <= 0) throw ApiUnreachable("no complete answer in time");
        const ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return data;
        data.append(buf, static_cast<std::size_t>(n));
    }
}

}  // namespace

ApiClient::ApiClient(const std::string& base, std::string token) : token_(std::move(token)) {
    std::string rest = base;
    if (!rest.starts_with("http://")) throw std::invalid_argument("'" + base + "' must start with http:// (the API is plain HTTP)");
    rest = rest.substr(7);
    if (const auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos || colon + 1 == rest.size())
        throw std::invalid_argument("'" + base + "' needs a port: http://127.0.0.1:8081");
    host_ = rest.substr(0, colon);
    port_ = rest.substr(colon + 1);
    if (host_.size() > 2 && host_.front() == '[' && host_.back() == ']') host_ = host_.substr(1, host_.size() - 2);
    base_ = "http://" + rest;
}

ApiAnswer ApiClient::get(const std::string& path, std::chrono::milliseconds timeout) const { return call("GET", path, {}, timeout); }
ApiAnswer ApiClient::put(const std::string& path, const std::string& json) const {
    return call("PUT", path, json, std::chrono::seconds(10));
}
ApiAnswer ApiClient::post(const std::string& path, const std::string& json) const {
    return call("POST", path, json, std::chrono::seconds(10));
}

ApiAnswer ApiClient::call(const std::string& method, const std::string& path, const std::string& body,
                          std::chrono::milliseconds timeout) const {
    const auto end = Clock::now() + timeout;
    const int fd = connect_to(host_, port_);
    if (fd < 0) throw ApiUnreachable("cannot connect to " + base_ + ": " + std::strerror(errno));
    std::string request = method + " /api/v1/" + path + " HTTP/1.1\r\nHost: " + host_ + ":" + port_ + "\r\nAuthorization: Bearer " +
                          token_ + "\r\nConnection: close\r\n";
    if (!body.empty() || method != "GET")
        request += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    request += "\r\n" + body;
    std::string response;
    try {
        if (!send_all(fd, request)) throw ApiUnreachable("cannot send to " + base_);
        response = read_response(fd, end);
    } catch (...) {
        close(fd);
        throw;
    }
    close(fd);
    ApiAnswer answer;
    const auto header_end = response.find("\r\n\r\n");
    if (!response.starts_with("HTTP/1.") || header_end == std::string::npos || response.size() < 12)
        throw ApiUnreachable(base_ + " did not answer " + method + " " + path + " with HTTP");
    answer.status = std::atoi(response.c_str() + 9);
    answer.body = response.substr(header_end + 4);
    return answer;
}

std::string url_encode(const std::string& text) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace tlsfault::cli::check
