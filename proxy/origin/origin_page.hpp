// Origin mode's answer: a small page (HTML, or JSON when asked) telling the client what this
// connection was shown and that it accepted it. "You accepted an expired certificate" is the finding.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tlsfault::proxy {

/// Everything the page reports about one connection.
/// What the origin page shows. The connection-wide facts are views into what outlives the
/// connection's requests (its route and profile, certificate, fingerprints, OpenSSL's static
/// names): every kept-alive connection holds these facts, so they hold no copies.
struct OriginFacts {
    std::uint64_t conn = 0;
    std::string_view host;
    std::string_view profile;
    std::string_view profile_summary;  ///< what is wrong with the certificate ("" for good)
    std::string_view correct_client;   ///< what a correct client does with it
    std::string_view subject;
    std::string_view issuer;
    std::string_view sha256;
    std::string_view tls_version;
    std::string_view cipher;
    std::string alpn;  ///< "http/1.1" or "": fits std::string's own storage
    std::string_view ja3;
    std::string_view ja4;
    std::string method;  ///< the request's own
    std::string target;
};

struct OriginPage {
    std::string content_type;
    std::string body;
};

/// JSON when `accept` mentions application/json, HTML otherwise.
OriginPage render_origin_page(const OriginFacts& facts, const std::string& accept);

/// The one-sentence finding: "You accepted a certificate that ..." / "... a valid lab certificate ...".
std::string origin_finding(const OriginFacts& facts);

}  // namespace tlsfault::proxy
