// A minted leaf with what a server needs to present it.
#pragma once

#include "certgen/shown_fields.hpp"
#include "certgen/openssl_ptr.hpp"

#include <string>
#include <vector>

namespace tlsfault::certgen {

struct IssuedCertificate {
    std::string profile;  ///< profile name it was minted from
    std::string host;     ///< host it was minted for
    std::string issuer;   ///< short name of the issuing CA ("intermediate", ...), "self" if self-signed
    X509Ptr leaf;
    EvpPkeyPtr key;              ///< shared with other leaves of the same key type
    std::vector<X509Ptr> chain;  ///< what the server sends after the leaf, in order
    std::string serial_hex;
    std::string sha256_fingerprint;  ///< hex, colon-separated, of the leaf's DER
    std::string subject_text;        ///< subject_line(leaf), read once: events and the origin page show it per connection
    std::string issuer_text;         ///< issuer_line(leaf), likewise
    ShownFields fields;              ///< validity, SAN, CRL and OCSP URLs of the leaf, as text
};

}  // namespace tlsfault::certgen
