// Client fingerprints computed from a parsed ClientHello: JA3 (Salesforce) and JA4 (FoxIO).
#pragma once

#include "proxy/tls/client_hello.hpp"

#include <string>

namespace tlsfault::proxy {

/// "771,4865-4866,0-23-65281,29-23,0": version, ciphers, extensions, groups, point formats,
/// each in offered order with GREASE values left out.
std::string ja3_string(const ClientHello& hello);
/// Lower-case hex MD5 of ja3_string.
std::string ja3_hash(const ClientHello& hello);

/// "t13d1516h2_8daaf6152771_e5627efa2ab1" (JA4 over TCP: protocol, version, SNI, counts, ALPN,
/// then truncated SHA-256 of the sorted ciphers and of the sorted extensions + signature algorithms).
std::string ja4(const ClientHello& hello);

/// A connection's fingerprints, each computed once and only for a reader: the client_hello event
/// reads all three, rules with `match.ja3` the hash, the origin page the hash and JA4 (the
/// connection fills in what its readers need: proxy/session/tls_interception.cpp).
struct Fingerprints {
    std::string ja3;       ///< ja3_string
    std::string ja3_hash;  ///< ja3_hash
    std::string ja4;       ///< ja4
};
/// All three (the event's).
Fingerprints fingerprints(const ClientHello& hello);

}  // namespace tlsfault::proxy
