// A "customer" chain made in memory the way a public CA's looks: root → two intermediates →
// leaf, with a rich subject, SANs, policies, EKU, CDP and AIA URLs, mixed key types and digests.
#pragma once

#include "certgen/openssl_ptr.hpp"

#include <string>
#include <vector>

namespace tlsfault::test {

struct CustomerChain {
    std::vector<certgen::X509Ptr> certs;    ///< leaf, intermediate 2, intermediate 1, root
    std::vector<certgen::EvpPkeyPtr> keys;  ///< the customer's keys, same order
};

/// Leaf RSA-2048/SHA-256 for www.contoso.test (+ api.contoso.test, 192.0.2.10); intermediates EC
/// P-256 and RSA-2048; root EC P-384 signing with SHA-384.
CustomerChain make_customer_chain();

/// The text OpenSSL prints for extension `nid` of `cert` ("" when absent).
std::string extension_text(const X509* cert, int nid);

}  // namespace tlsfault::test
