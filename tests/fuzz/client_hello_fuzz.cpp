// libFuzzer target: the ClientHello parser (proxy/tls/client_hello), fed the first bytes of a
// connection exactly as the SNI listener and a CONNECT tunnel hand them over, then the
// fingerprints and version names every parsed hello is logged with.
#include "proxy/tls/client_hello.hpp"
#include "proxy/tls/fingerprint.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace tlsfault::proxy;
    const std::span<const std::uint8_t> bytes(data, size);
    HelloParse parse = parse_client_hello(bytes);
    if (parse.status != HelloStatus::parsed) return 0;
    // The engine reads on from hello.bytes: it must lie inside what was given.
    if (parse.hello.bytes > size) __builtin_trap();
    (void)ja3_hash(parse.hello);
    (void)ja4(parse.hello);
    (void)tls_version_name(highest_offered_version(parse.hello));
    return 0;
}
