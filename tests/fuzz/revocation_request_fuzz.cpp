// libFuzzer target: the revocation listener's request handling without sockets. The input is a
// request target, a newline, then a POST body: parse_revocation_target reads the path (mode
// prefix, resource, CA, OCSP GET payload: URL-decoding + base64), and RevocationService answers
// it from an in-memory lab PKI (OCSP DER parsed by OpenSSL, CRLs, CA certificates).
#include "proxy/revocation/revocation_request.hpp"
#include "proxy/revocation/revocation_service.hpp"

#include "certgen/lab_pki.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace {

tlsfault::proxy::RevocationService& service() {
    static std::unique_ptr<tlsfault::certgen::LabPki> pki = tlsfault::certgen::LabPki::in_memory();
    static tlsfault::proxy::RevocationService service(*pki);
    return service;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace tlsfault::proxy;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t newline = input.find('\n');
    const std::string_view target = input.substr(0, newline);
    const std::string_view body = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
    (void)decode_ocsp_get_payload(target);
    auto request = parse_revocation_target(target);
    if (!request) return 0;
    (void)revocation_path_prefix(request->mode, request->delay);
    (void)service().answer(*request, body);
    return 0;
}
