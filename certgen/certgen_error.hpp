// The one exception certgen throws. Loading-time only: callers on the traffic path
// catch it at the boundary and turn it into an error_code / log line.
#pragma once

#include <stdexcept>
#include <string>

namespace tlsfault::certgen {

/// A certgen failure with a message a person can act on (what, where, how to fix).
class CertgenError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Throws CertgenError with `what` followed by the queued OpenSSL error text, if any.
[[noreturn]] void throw_openssl_error(const std::string& what);

}  // namespace tlsfault::certgen
