#include "proxy/revocation/staple_choice.hpp"

#include "proxy/revocation/revocation_request.hpp"

#include <openssl/x509v3.h>

namespace tlsfault::proxy {
namespace {

/// The certificate's first AIA OCSP URL; "" when it names none.
std::string first_ocsp_url(const X509* cert) {
    STACK_OF(OPENSSL_STRING)* urls = X509_get1_ocsp(const_cast<X509*>(cert));
    std::string url = urls && sk_OPENSSL_STRING_num(urls) > 0 ? sk_OPENSSL_STRING_value(urls, 0) : "";
    X509_email_free(urls);
    return url;
}

std::optional<certgen::StapleMode> staple_for_mode(RevocationMode mode) {
    using S = certgen::StapleMode;
    switch (mode) {
    case RevocationMode::truthful:
    case RevocationMode::slow:
    case RevocationMode::delegated: return S::truthful;
    case RevocationMode::good: return S::good;
    case RevocationMode::revoked: return S::revoked;
    case RevocationMode::unknown: return S::unknown;
    case RevocationMode::stale: return S::expired;
    default: return std::nullopt;
    }
}

}  // namespace

StapleChoice truthful_staple(const certgen::IssuedCertificate& cert, std::string_view revocation_url) {
    const std::string url = first_ocsp_url(cert.leaf.get());
    if (url.empty()) return {std::nullopt, "the certificate names no OCSP responder"};
    const bool ours = !revocation_url.empty() && url.size() > revocation_url.size() &&
                      url.compare(0, revocation_url.size(), revocation_url) == 0 && url[revocation_url.size()] == '/';
    if (!ours)
        return {std::nullopt, "its OCSP responder " + url + " is not tlsfault's revocation listener (unreachable, or a rule decides)"};
    auto request = parse_revocation_target(std::string_view(url).substr(revocation_url.size()));
    if (!request || request->resource != RevocationResource::ocsp) return {std::nullopt, "its OCSP URL " + url + " is not an OCSP path"};
    if (auto mode = staple_for_mode(request->mode)) return {mode, {}};
    return {std::nullopt, "its OCSP responder " + url + " answers " + std::string(to_string(request->mode)) + ", not a status to staple"};
}

}  // namespace tlsfault::proxy
