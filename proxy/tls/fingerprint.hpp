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

/// All three of a connection's fingerprints, computed once: the client_hello event, the rules
/// (`client.ja3`) and the origin page each read them. JA4 only `with_ja4` (empty otherwise): the
/// rules do not read it, and it costs most (two SHA-256 and two sorts).
struct Fingerprints {
    std::string ja3;       ///< ja3_string
    std::string ja3_hash;  ///< ja3_hash
    std::string ja4;       ///< ja4
};
Fingerprints fingerprints(const ClientHello& hello, bool with_ja4 = true);

}  // namespace tlsfault::proxy
