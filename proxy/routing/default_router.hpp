// The default, badssl.com-style routing: `<profile>.tlsfault.test` shows that certgen profile;
// any other host gets a good lab certificate. The scenario language will replace this later.
#pragma once

#include "certgen/cert_profile.hpp"

#include <string>
#include <string_view>

namespace tlsfault::proxy {

struct Route {
    std::string host;                               ///< normalised: lower case, no trailing dot
    const certgen::CertProfile* profile = nullptr;  ///< never null
    bool lab_host = false;                          ///< under the lab domain: always answered by origin mode (it has no real server)
    bool unknown_profile = false;                   ///< a lab host whose first label names no profile ("good" is shown)
};

/// Routes `host` (an SNI, a CONNECT host or an IP literal) under `lab_domain` ("tlsfault.test").
Route route_host(std::string_view host, std::string_view lab_domain);

/// Lower case, trailing dot removed, IPv6 brackets removed.
std::string normalise_host(std::string_view host);

}  // namespace tlsfault::proxy
