// Parsing a TLS ClientHello from the first bytes of a connection, as a pure function with three
// outcomes (parsed, need more bytes, invalid), so it can be tested from hex fixtures without sockets.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace tlsfault::proxy {

/// What a client offered, in the order it offered it (JA3/JA4 depend on the order).
struct ClientHello {
    std::uint16_t legacy_version = 0;          ///< the version field of the hello body
    std::uint16_t record_version = 0;          ///< the version field of the first record
    std::array<std::uint8_t, 32> random{};     ///< the client random: it names the connection in a key log
    std::vector<std::uint16_t> cipher_suites;  ///< GREASE values included
    std::vector<std::uint16_t> extensions;     ///< extension types, in order, GREASE included
    std::optional<std::string> sni;            ///< the host_name entry of server_name
    std::vector<std::uint16_t> supported_groups;
    std::vector<std::uint8_t> ec_point_formats;
    std::vector<std::uint16_t> signature_algorithms;
    std::vector<std::string> alpn;
    std::vector<std::uint16_t> supported_versions;  ///< empty when the extension is absent
    std::size_t bytes = 0;                          ///< record bytes the hello took, headers included
};

enum class HelloStatus { parsed, need_more, invalid };

struct HelloParse {
    HelloStatus status = HelloStatus::need_more;
    ClientHello hello;            ///< valid when status == parsed
    std::string reason;           ///< why, when status == invalid
    bool looks_like_tls = false;  ///< the first byte is a TLS handshake record (0x16)
};

/// Parses the ClientHello at the start of `bytes` (TLS records, possibly several). Never reads
/// past `bytes`; a hello split over reads answers need_more until it is whole.
HelloParse parse_client_hello(std::span<const std::uint8_t> bytes);

/// The client random as lowercase hex (64 characters), as NSS key log lines write it.
std::string client_random_hex(const ClientHello& hello);

/// True for the RFC 8701 GREASE values (0x?a?a).
bool is_grease(std::uint16_t value);

/// "TLSv1.3", "TLSv1.2", ... or "0x0305" for values we do not name.
std::string tls_version_name(std::uint16_t version);

/// The highest non-GREASE version the client offers (supported_versions, else legacy_version).
std::uint16_t highest_offered_version(const ClientHello& hello);

}  // namespace tlsfault::proxy
