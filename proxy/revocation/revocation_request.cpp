#include "proxy/revocation/revocation_request.hpp"

#include "common/name_table.hpp"

#include <openssl/evp.h>

#include <array>
#include <charconv>
#include <tuple>
#include <utility>

namespace tlsfault::proxy {
namespace {

constexpr NameTable<RevocationMode, 15> mode_names{{
    {RevocationMode::truthful, "truthful"},
    {RevocationMode::stale, "stale"},
    {RevocationMode::wrong_key, "wrong-key"},
    {RevocationMode::not_found, "not-found"},
    {RevocationMode::server_error, "server-error"},
    {RevocationMode::slow, "slow"},
    {RevocationMode::blackhole, "blackhole"},
    {RevocationMode::good, "good"},
    {RevocationMode::revoked, "revoked"},
    {RevocationMode::unknown, "unknown"},
    {RevocationMode::try_later, "try-later"},
    {RevocationMode::unauthorized, "unauthorized"},
    {RevocationMode::malformed_request, "malformed-request"},
    {RevocationMode::internal_error, "internal-error"},
    {RevocationMode::delegated, "delegated"},
}};

// Splits off the first path segment: "a/b/c" -> ("a", "b/c").
std::pair<std::string_view, std::string_view> first_segment(std::string_view path) {
    auto slash = path.find('/');
    if (slash == std::string_view::npos) return {path, {}};
    return {path.substr(0, slash), path.substr(slash + 1)};
}

// "slow-5s" -> 5 s. Also accepts plain "slow" (10 s).
std::optional<std::chrono::seconds> parse_slow(std::string_view segment) {
    if (segment == "slow") return std::chrono::seconds(10);
    if (segment.rfind("slow-", 0) != 0 || segment.size() < 7 || segment.back() != 's') return std::nullopt;
    std::string_view digits = segment.substr(5, segment.size() - 6);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc{} || end != digits.data() + digits.size() || value > 3600) return std::nullopt;
    return std::chrono::seconds(value);
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() > suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

std::string_view to_string(RevocationMode mode) { return name_of(mode_names, mode, "truthful"); }

std::string_view to_string(RevocationResource resource) {
    constexpr NameTable<RevocationResource, 5> names{{
        {RevocationResource::crl_der, "crl"},
        {RevocationResource::crl_pem, "crl-pem"},
        {RevocationResource::ca_der, "ca-certificate"},
        {RevocationResource::ca_pem, "ca-certificate-pem"},
        {RevocationResource::ocsp, "ocsp"},
    }};
    return name_of(names, resource, "crl");
}

std::string revocation_path_prefix(RevocationMode mode, std::chrono::seconds delay) {
    if (mode == RevocationMode::truthful) return {};
    if (mode == RevocationMode::slow) return "slow-" + std::to_string(delay.count()) + "s";
    return std::string(to_string(mode));
}

std::optional<std::string> decode_ocsp_get_payload(std::string_view segment) {
    std::string base64;
    for (std::size_t i = 0; i < segment.size(); ++i) {
        if (segment[i] != '%') {
            base64 += segment[i];
            continue;
        }
        unsigned value = 0;
        if (i + 2 >= segment.size()) return std::nullopt;
        auto [end, ec] = std::from_chars(segment.data() + i + 1, segment.data() + i + 3, value, 16);
        if (ec != std::errc{} || end != segment.data() + i + 3) return std::nullopt;
        base64 += static_cast<char>(value);
        i += 2;
    }
    if (base64.empty() || base64.size() % 4 != 0) return std::nullopt;
    std::string der(base64.size() / 4 * 3, '\0');
    int len = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(der.data()), reinterpret_cast<const unsigned char*>(base64.data()),
                              static_cast<int>(base64.size()));
    if (len < 0) return std::nullopt;
    // EVP_DecodeBlock counts padding bytes as data: drop one per '='.
    std::size_t padding = base64.size() - base64.find_last_not_of('=') - 1;
    der.resize(static_cast<std::size_t>(len) - std::min<std::size_t>(padding, 2));
    return der;
}

std::optional<RevocationRequest> parse_revocation_target(std::string_view target) {
    if (auto query = target.find('?'); query != std::string_view::npos) target = target.substr(0, query);
    if (target.empty() || target[0] != '/') return std::nullopt;
    std::string_view path = target.substr(1);
    RevocationRequest request;
    auto [head, rest] = first_segment(path);
    if (head != "crl" && head != "ca" && head != "ocsp") {
        bool known = false;
        if (auto delay = parse_slow(head)) {
            request.mode = RevocationMode::slow;
            request.delay = *delay;
            known = true;
        }
        for (auto [m, name] : mode_names)
            if (!known && name == head && m != RevocationMode::slow && m != RevocationMode::truthful) {
                request.mode = m;
                known = true;
            }
        if (!known) return std::nullopt;
        std::tie(head, rest) = first_segment(rest);
    }
    if (head == "crl") {
        if (ends_with(rest, ".crl.pem")) {
            request.resource = RevocationResource::crl_pem;
            request.ca = rest.substr(0, rest.size() - 8);
        } else if (ends_with(rest, ".crl")) {
            request.resource = RevocationResource::crl_der;
            request.ca = rest.substr(0, rest.size() - 4);
        } else {
            return std::nullopt;
        }
    } else if (head == "ca") {
        if (ends_with(rest, ".der") || ends_with(rest, ".crt") || ends_with(rest, ".cer")) {
            request.resource = RevocationResource::ca_der;
        } else if (ends_with(rest, ".pem")) {
            request.resource = RevocationResource::ca_pem;
        } else {
            return std::nullopt;
        }
        request.ca = rest.substr(0, rest.size() - 4);
    } else if (head == "ocsp") {
        request.resource = RevocationResource::ocsp;
        auto [ca, payload] = first_segment(rest);
        request.ca = ca;
        if (!payload.empty()) {
            auto der = decode_ocsp_get_payload(payload);
            // A malformed GET is still an OCSP request: the responder answers malformedRequest.
            request.ocsp_get_payload = der ? *der : std::string("\x00", 1);
        }
    } else {
        return std::nullopt;
    }
    if (request.ca.empty() || request.ca.find('/') != std::string::npos) return std::nullopt;
    return request;
}

}  // namespace tlsfault::proxy
