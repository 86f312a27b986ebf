// A small blocking HTTP/1.1 client for tlsfault's control API (plain HTTP, JSON bodies): what
// `tlsfault check` uses to activate scenarios and wait for verdicts. One connection per call.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>

namespace tlsfault::cli::check {

/// An API answer: the HTTP status and the body (JSON for every /api/v1 route but ca.pem).
struct ApiAnswer {
    int status = 0;
    std::string body;
};

/// Thrown when the API cannot be reached or answers something that is not HTTP.
class ApiUnreachable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class ApiClient {
public:
    /// `base` is `http://HOST:PORT` (a trailing `/api/v1` or `/` is accepted); throws
    /// std::invalid_argument naming what is wrong with it.
    ApiClient(const std::string& base, std::string token);

    /// `path` is under /api/v1/ ("active", "connections/wait?..."); `timeout` bounds the call.
    ApiAnswer get(const std::string& path, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
    ApiAnswer put(const std::string& path, const std::string& json) const;
    ApiAnswer post(const std::string& path, const std::string& json = {}) const;

    const std::string& base() const { return base_; }

private:
    ApiAnswer call(const std::string& method, const std::string& path, const std::string& body, std::chrono::milliseconds timeout) const;
    std::string base_;
    std::string host_;
    std::string port_;
    std::string token_;
};

/// `text` with %XX escapes for a query value.
std::string url_encode(const std::string& text);

}  // namespace tlsfault::cli::check
