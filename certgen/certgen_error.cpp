#include "certgen/certgen_error.hpp"

#include <openssl/err.h>

namespace tlsfault::certgen {

void throw_openssl_error(const std::string& what) {
    std::string message = what;
    // Only the first (innermost) reason: the rest of the queue is usually the same story.
    if (unsigned long code = ERR_get_error(); code != 0) {
        char buf[256];
        ERR_error_string_n(code, buf, sizeof buf);
        message += " (" + std::string(buf) + ")";
    }
    ERR_clear_error();
    throw CertgenError(message);
}

}  // namespace tlsfault::certgen
