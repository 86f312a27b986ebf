// "Mirror, then mutate": re-mints a customer's chain with lab keys. Each CA of the chain gets a
// lab copy (same names, a lab key kept per CA subject), the top one self-signed; the leaf is
// copied under them with a pooled key; then the mutations asked for are applied.
#pragma once

#include "certgen/certificate_authority.hpp"
#include "certgen/issued_certificate.hpp"
#include "certgen/key_pool.hpp"
#include "certgen/leaf_minter.hpp"
#include "certgen/mirror/mirror_ca_keys.hpp"
#include "certgen/mirror/mirror_ca_registry.hpp"
#include "certgen/mirror/mirror_mutations.hpp"
#include "certgen/revocation_registry.hpp"

#include <memory>
#include <string>
#include <vector>

namespace tlsfault::certgen {

/// A customer chain (ordered leaf first, see order_chain) and what to do with it.
struct MirrorRequest {
    std::vector<X509Ptr> source;
    std::string origin;      ///< the file it came from, for messages and the leaf's profile name
    bool keep_urls = false;  ///< keep the customer's CDP/AIA URLs instead of the lab listener's
    MirrorMutations mutate;
};

/// The re-minted chain.
struct MirroredChain {
    /// What a server presents: the leaf, its key and the certificates sent after it.
    std::shared_ptr<const IssuedCertificate> served;
    /// The lab copies (leaf's issuer first, the top last; the rogue top too with untrusted_root).
    std::vector<std::shared_ptr<const CertificateAuthority>> cas;
    /// The lab copy of the customer's root a client should trust (never the rogue one).
    X509Ptr trusted_root;
    /// True when the file ended below a root and a stand-in root with the top's issuer name was made.
    bool stand_in_root = false;
};

/// The name of the root the lab copy of `source` (ordered leaf first) ends in: the top
/// certificate's subject when it is self-issued, else its issuer's (a stand-in root).
const X509_NAME* mirrored_root_name(const std::vector<X509Ptr>& source);

class ChainMirror {
public:
    /// Leaf keys come from `leaf_keys` (pooled per key type), CA keys from `ca_keys`; revoked
    /// leaves go into `revocations`; every lab copy is registered in `registry`.
    ChainMirror(KeyPool& leaf_keys, MirrorCaKeys& ca_keys, RevocationRegistry& revocations, MirrorCaRegistry& registry);

    /// Re-mints `request` with revocation URLs under `options.revocation_url`. Throws
    /// CertgenError naming request.origin when a certificate cannot be mirrored.
    MirroredChain mirror(const MirrorRequest& request, const MintOptions& options) const;

private:
    struct CaCopies;
    CaCopies copy_cas(const MirrorRequest& request, const MintOptions& options) const;
    std::shared_ptr<IssuedCertificate> mint_leaf(const MirrorRequest& request, const MintOptions& options, const CaCopies& cas) const;

    KeyPool& leaf_keys_;
    MirrorCaKeys& ca_keys_;
    RevocationRegistry& revocations_;
    MirrorCaRegistry& registry_;
};

}  // namespace tlsfault::certgen
