// Host to profile: only the first label under the lab domain is looked at, so that
// "expired.tlsfault.test" and "www.expired.tlsfault.test" differ (the latter is unknown -> good).
#include "proxy/routing/default_router.hpp"

#include "certgen/catalogue.hpp"

#include <algorithm>
#include <cctype>

namespace tlsfault::proxy {

std::string normalise_host(std::string_view host) {
    std::string out(host);
    if (out.size() >= 2 && out.front() == '[' && out.back() == ']') out = out.substr(1, out.size() - 2);
    while (!out.empty() && out.back() == '.') out.pop_back();
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

Route route_host(std::string_view raw_host, std::string_view lab_domain) {
    Route route;
    route.host = normalise_host(raw_host);
    route.profile = certgen::find_profile("good");
    const std::string suffix = "." + std::string(lab_domain);
    const std::string& h = route.host;
    if (h == lab_domain) {
        route.lab_host = true;
    } else if (h.size() > suffix.size() && h.compare(h.size() - suffix.size(), suffix.size(), suffix) == 0) {
        route.lab_host = true;
        std::string label = h.substr(0, h.size() - suffix.size());
        const certgen::CertProfile* named = label.find('.') == std::string::npos ? certgen::find_profile(label) : nullptr;
        if (named)
            route.profile = named;
        else
            route.unknown_profile = true;
    }
    return route;
}

}  // namespace tlsfault::proxy
