// ClientHello byte fixtures for the parser and fingerprint tests: one captured from a real
// client, plus a builder for hand-made hellos (GREASE, split records, malformed lengths).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tlsfault::test {

/// `openssl s_client -servername fixture.example -alpn h2,http/1.1` (OpenSSL 3.0.19), as sent.
inline const char* const openssl_hello_hex =
    "160301014e0100014a0303591df1246c26c1f36c1c6690d57d43b0e9df73e931356e13a2d2f96fe2c3a9fa202914d4951a2c96f1b265b5fd36fc468f1c10a7347b30a334401e06e4b45fa41c003e130213031301c02cc030009fcca9cca8ccaac02bc02f009ec024c028006bc023c0270067c00ac0140039c009c0130033009d009c003d003c0035002f00ff010000c300000014001200000f666978747572652e6578616d706c65000b000403000102000a00160014001d0017001e0019001801000101010201030104002300000010000e000c02683208687474702f312e310016000000170000000d002a0028040305030603080708080809080a080b080408050806040105010601030303010302040205020602002b0009080304030303020301002d00020101003300260024001d0020c81478394f514d83a985185c469456b139d9ad2b050c756be67b9b388f44cb6e";

std::vector<std::uint8_t> from_hex(const std::string& hex);

/// A ClientHello handshake message (no record header) with the given fields.
struct HelloSpec {
    std::uint16_t legacy_version = 0x0303;
    std::vector<std::uint16_t> ciphers = {0x1301, 0x1302};
    /// (type, raw extension data) in order.
    std::vector<std::pair<std::uint16_t, std::vector<std::uint8_t>>> extensions;
};
std::vector<std::uint8_t> build_hello_message(const HelloSpec& spec);
/// Wraps a handshake message in TLS records of at most `max_fragment` bytes each.
std::vector<std::uint8_t> in_records(const std::vector<std::uint8_t>& message, std::size_t max_fragment = 16384);

std::vector<std::uint8_t> sni_extension(const std::string& host);
std::vector<std::uint8_t> u16_list_extension(const std::vector<std::uint16_t>& values);
std::vector<std::uint8_t> alpn_extension(const std::vector<std::string>& protocols);

}  // namespace tlsfault::test
