// Origin mode's answer: a small page (HTML, or JSON when asked) telling the client what this
// connection was shown and that it accepted it. "You accepted an expired certificate" is the finding.
#pragma once

#include <cstdint>
#include <string>

namespace tlsfault::proxy {

/// Everything the page reports about one connection.
struct OriginFacts {
    std::uint64_t conn = 0;
    std::string host;
    std::string profile;
    std::string profile_summary;  ///< what is wrong with the certificate ("" for good)
    std::string correct_client;   ///< what a correct client does with it
    std::string subject;
    std::string issuer;
    std::string sha256;
    std::string tls_version;
    std::string cipher;
    std::string alpn;
    std::string ja3;
    std::string ja4;
    std::string method;
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
