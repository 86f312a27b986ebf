#include "certgen/mirror/chain_mirror.hpp"

#include "certgen/certgen_error.hpp"
#include "certgen/mirror/certificate_copy.hpp"
#include "certgen/mirror/customer_chain.hpp"
#include "certgen/pem_io.hpp"

#include <ctime>

namespace tlsfault::certgen {
namespace {

constexpr std::int64_t day = 86400;

std::shared_ptr<CertificateAuthority> make_ca(std::string short_name, X509Ptr cert, EvpPkeyPtr key) {
    auto ca = std::make_shared<CertificateAuthority>();
    ca->short_name = std::move(short_name);
    ca->cert = std::move(cert);
    ca->key = std::move(key);
    return ca;
}

// The key a stand-in root gets: the kind that made the signature on the certificate it issues,
// so that certificate keeps its signature algorithm.
KeyType stand_in_key_type(const X509* issued) {
    int pk_nid = NID_undef, md_nid = NID_undef;
    X509_get_signature_info(const_cast<X509*>(issued), &md_nid, &pk_nid, nullptr, nullptr);
    if (pk_nid == NID_X9_62_id_ecPublicKey) return md_nid == NID_sha384 || md_nid == NID_sha512 ? KeyType::ec_p384 : KeyType::ec_p256;
    if (pk_nid == NID_ED25519) return KeyType::ed25519;
    return KeyType::rsa_2048;
}

const EVP_MD* md_for(Digest digest, EVP_PKEY* signer) { return signing_md(digest, key_type_of(signer).value_or(KeyType::ec_p256)); }

std::optional<LabUrls> lab_urls(const MirrorRequest& request, const MintOptions& options, const std::string& issuer) {
    if (request.keep_urls) return std::nullopt;
    return LabUrls{options.revocation_url, issuer};
}

// notBefore/notAfter the leaf gets with `expired` or `not_yet_valid`: the customer's span, moved.
std::optional<std::pair<std::int64_t, std::int64_t>> mutated_validity(const X509* leaf, const MirrorMutations& m) {
    if (!m.expired && !m.not_yet_valid) return std::nullopt;
    const std::int64_t span = epoch_seconds(X509_get0_notAfter(leaf)) - epoch_seconds(X509_get0_notBefore(leaf));
    const std::int64_t now = std::time(nullptr);
    if (m.expired) return std::pair{now - day - span, now - day};
    return std::pair{now + day, now + day + span};
}

}  // namespace

const X509_NAME* mirrored_root_name(const std::vector<X509Ptr>& source) {
    const X509* highest = source.back().get();
    return source.size() > 1 && is_self_issued(highest) ? X509_get_subject_name(highest) : X509_get_issuer_name(highest);
}

struct ChainMirror::CaCopies {
    std::vector<std::shared_ptr<CertificateAuthority>> below_top;  ///< copies of source[1..], leaf's issuer first
    std::shared_ptr<CertificateAuthority> top;                     ///< the faithful top (trusted)
    std::shared_ptr<CertificateAuthority> rogue;                   ///< untrusted_root: what really signs
    bool stand_in = false;
};

ChainMirror::ChainMirror(KeyPool& leaf_keys, MirrorCaKeys& ca_keys, RevocationRegistry& revocations, MirrorCaRegistry& registry)
    : leaf_keys_(leaf_keys), ca_keys_(ca_keys), revocations_(revocations), registry_(registry) {}

ChainMirror::CaCopies ChainMirror::copy_cas(const MirrorRequest& request, const MintOptions& options) const {
    const auto& src = request.source;
    CaCopies out;
    const X509* highest = src.back().get();
    out.stand_in = src.size() == 1 || !is_self_issued(highest);
    auto make_top = [&](bool rogue) {
        if (out.stand_in) {
            const X509_NAME* name = mirrored_root_name(src);
            std::string short_name = mirror_ca_short_name(name, rogue);
            EvpPkeyPtr key = ca_keys_.key(short_name, stand_in_key_type(highest));
            X509Ptr cert =
                make_stand_in_root(name, key.get(), md_for(Digest::sha256, key.get()), epoch_seconds(X509_get0_notBefore(highest)) - day,
                                   epoch_seconds(X509_get0_notAfter(highest)) + day);
            return make_ca(std::move(short_name), std::move(cert), std::move(key));
        }
        std::string short_name = mirror_ca_short_name(X509_get_subject_name(highest), rogue);
        EvpPkeyPtr key = ca_keys_.key(short_name, key_type_of_certificate(highest, request.origin));
        CopyPlan plan{.source = highest,
                      .subject_key = key.get(),
                      .issuer_key = key.get(),
                      .md = md_for(digest_of_certificate(highest, request.origin), key.get()),
                      .urls = lab_urls(request, options, short_name)};
        return make_ca(short_name, copy_certificate(plan), std::move(key));
    };
    out.top = make_top(false);
    if (request.mutate.untrusted_root) out.rogue = make_top(true);
    std::shared_ptr<CertificateAuthority> parent = out.rogue ? out.rogue : out.top;
    const std::size_t first_below = out.stand_in ? src.size() - 1 : src.size() - 2;  // highest copy signed by the top
    for (std::size_t i = first_below; i >= 1 && i < src.size(); --i) {
        const X509* source = src[i].get();
        std::string short_name = mirror_ca_short_name(X509_get_subject_name(source));
        EvpPkeyPtr key = ca_keys_.key(short_name, key_type_of_certificate(source, request.origin));
        CopyPlan plan{.source = source,
                      .subject_key = key.get(),
                      .issuer_cert = parent->cert.get(),
                      .issuer_key = parent->key.get(),
                      .md = md_for(digest_of_certificate(source, request.origin), parent->key.get()),
                      .urls = lab_urls(request, options, parent->short_name)};
        parent = make_ca(short_name, copy_certificate(plan), std::move(key));
        out.below_top.insert(out.below_top.begin(), parent);
    }
    return out;
}

std::shared_ptr<IssuedCertificate> ChainMirror::mint_leaf(const MirrorRequest& request, const MintOptions& options,
                                                          const CaCopies& cas) const {
    const MirrorMutations& m = request.mutate;
    const X509* leaf = request.source.front().get();
    const std::shared_ptr<CertificateAuthority> issuer = m.self_signed            ? nullptr
                                                         : !cas.below_top.empty() ? cas.below_top.front()
                                                         : cas.rogue              ? cas.rogue
                                                                                  : cas.top;
    auto issued = std::make_shared<IssuedCertificate>();
    issued->profile = "mirror:" + request.origin;
    issued->host = primary_name(leaf);
    issued->issuer = issuer ? issuer->short_name : "self";
    issued->key = share(leaf_keys_.key(m.rsa_1024 ? KeyType::rsa_1024 : key_type_of_certificate(leaf, request.origin)));
    EVP_PKEY* signer = issuer ? issuer->key.get() : issued->key.get();
    const Digest digest = m.sha1 ? Digest::sha1 : digest_of_certificate(leaf, request.origin);
    CopyPlan plan{.source = leaf,
                  .subject_key = issued->key.get(),
                  .issuer_cert = issuer ? issuer->cert.get() : nullptr,
                  .issuer_key = signer,
                  .md = md_for(digest, signer),
                  .urls = lab_urls(request, options, issued->issuer),
                  .fresh_serial = true,
                  .validity = mutated_validity(leaf, m),
                  .wrong_host = m.wrong_host,
                  .remove_san = m.remove_san,
                  .eku = m.eku};
    issued->leaf = copy_certificate(plan);
    issued->serial_hex = serial_hex(issued->leaf.get());
    issued->sha256_fingerprint = sha256_fingerprint(issued->leaf.get());
    issued->subject_text = subject_line(issued->leaf.get());
    issued->issuer_text = issuer_line(issued->leaf.get());
    return issued;
}

MirroredChain ChainMirror::mirror(const MirrorRequest& request, const MintOptions& options) const {
    if (request.source.empty()) throw CertgenError(request.origin + ": no certificate to mirror");
    check_mutations(request.mutate);
    const MirrorMutations& m = request.mutate;
    CaCopies cas = copy_cas(request, options);
    auto issued = mint_leaf(request, options, cas);
    if (!m.drop_intermediate && !m.self_signed) {
        for (const auto& ca : cas.below_top) issued->chain.push_back(share(ca->cert.get()));
        // An untrusted root is sent along, as interception boxes do (like the rogue lab profile).
        if (cas.rogue) issued->chain.push_back(share(cas.rogue->cert.get()));
    }
    if (m.revoked) revocations_.add({issued->issuer, issued->serial_hex, static_cast<std::int64_t>(std::time(nullptr)) - 3600, 1});

    MirroredChain out;
    out.served = issued;
    out.stand_in_root = cas.stand_in;
    out.trusted_root = share(cas.top->cert.get());
    for (const auto& ca : cas.below_top) out.cas.push_back(ca);
    out.cas.push_back(cas.top);
    if (cas.rogue) out.cas.push_back(cas.rogue);
    for (const auto& ca : out.cas) registry_.add(ca);
    return out;
}

}  // namespace tlsfault::certgen
