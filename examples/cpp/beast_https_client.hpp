// The client under test in the C++ example: a Beast HTTPS GET with OpenSSL verification on
// (the lab root as the only trust anchor, host name checked), sent to tlsfault's SNI listener.
#pragma once

#include <string>

namespace tlsfault_example {

struct HttpsReply {
    int status = 0;
    std::string body;
};

/// GET https://`host`/ through 127.0.0.1:`port` (SNI `host`); throws boost::system::system_error
/// when the handshake or verification fails (what a correct client does with a bad certificate).
HttpsReply https_get(const std::string& host, int port, const std::string& ca_file);

}  // namespace tlsfault_example
