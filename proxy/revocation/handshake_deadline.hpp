// The TLS handshake's deadline, made to wait for the client's revocation check: a client that
// fetches the CRL or OCSP answer during the handshake (Java, Windows) is not cut off while tlsfault's
// own revocation listener still holds that fetch (slow, blackhole), so its verdict is what the
// client decided, not `timeout`.
#pragma once

#include "proxy/core/net.hpp"
#include "proxy/revocation/revocation_service.hpp"

#include <chrono>
#include <cstdint>
#include <utility>

namespace tlsfault::proxy {

/// How long the deadline waits, after the last linked fetch ended, for the client to go on
/// (its next URL, or the rest of the handshake).
inline constexpr std::chrono::milliseconds after_fetch_grace{5'000};

/// The server handshake on `tls` (`initial`: bytes already read), ended with
/// beast::error::timeout after `timeout`, unless a revocation fetch linked to `conn`
/// (RevocationService::fetch_in_flight) is then being served: the deadline then waits until
/// none is, plus after_fetch_grace, and looks again. Clears the stream's own expiry.
net::awaitable<std::pair<error_code, std::size_t>> handshake_awaiting_revocation(TlsStream& tls, net::const_buffer initial,
                                                                                 std::chrono::milliseconds timeout,
                                                                                 const RevocationService& revocation, std::uint64_t conn);

}  // namespace tlsfault::proxy
