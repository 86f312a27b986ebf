// The revocation listener's answers never throw: when certgen cannot build one (here: a mirrored
// customer CA with an Ed25519 key, which OpenSSL refuses to sign a CRL or OCSP response for with
// SHA-256), that fetch gets a 500 naming certgen's reason instead of an exception reaching the
// listener's catch-all.
#include "proxy/revocation/revocation_service.hpp"

#include "certgen/certificate_builder.hpp"
#include "certgen/key_type.hpp"
#include "certgen/lab_pki.hpp"
#include "certgen/mirror/chain_mirror.hpp"

#include <doctest/doctest.h>

#include <ctime>

using namespace tlsfault;

namespace {

/// A customer chain whose root signs with Ed25519: leaf (EC P-256), root.
std::vector<certgen::X509Ptr> ed25519_chain() {
    const std::int64_t now = std::time(nullptr);
    auto root_key = certgen::generate_key(certgen::KeyType::ed25519);
    certgen::CertificateFields root;
    root.common_name = "Contoso Ed25519 Root";
    root.organization = "Contoso";
    root.not_before = now - 86400;
    root.not_after = now + 365 * 86400;
    root.is_ca = true;
    root.key_usage = certgen::ku_key_cert_sign | certgen::ku_crl_sign;
    auto root_cert = certgen::build_certificate(root, root_key.get(), nullptr, root_key.get(), nullptr);
    auto leaf_key = certgen::generate_key(certgen::KeyType::ec_p256);
    certgen::CertificateFields leaf;
    leaf.common_name = "www.contoso.test";
    leaf.dns_names = {"www.contoso.test"};
    leaf.not_before = now - 86400;
    leaf.not_after = now + 90 * 86400;
    leaf.key_usage = certgen::ku_digital_signature;
    leaf.extended_key_usage = {certgen::ExtendedKeyUsage::server_auth};
    std::vector<certgen::X509Ptr> chain;
    chain.push_back(certgen::build_certificate(leaf, leaf_key.get(), root_cert.get(), root_key.get(), nullptr));
    chain.push_back(std::move(root_cert));
    return chain;
}

}  // namespace

TEST_CASE("revocation service: a CRL certgen cannot sign is a 500 with the reason, not an exception") {
    auto pki = certgen::LabPki::in_memory();
    certgen::MirrorRequest request;
    request.source = ed25519_chain();
    request.origin = "ed25519-chain.pem";
    auto mirrored = pki->mirror(request);
    REQUIRE_FALSE(mirrored.cas.empty());
    const std::string ca = mirrored.cas.front()->short_name;
    proxy::RevocationService service(*pki);

    proxy::RevocationRequest crl;
    crl.resource = proxy::RevocationResource::crl_der;
    crl.ca = ca;
    proxy::RevocationAnswer answer;
    CHECK_NOTHROW(answer = service.answer(crl, {}));
    CHECK(answer.status == 500);
    CHECK(answer.answered.rfind("500 (tlsfault error: ", 0) == 0);
    CHECK(answer.answered.find("cannot sign the CRL of " + ca) != std::string::npos);
    CHECK(answer.body.rfind("tlsfault could not build this answer: ", 0) == 0);

    // The same CA's certificate is still served: only the answer that failed is a 500.
    proxy::RevocationRequest cert = crl;
    cert.resource = proxy::RevocationResource::ca_pem;
    auto served = service.answer(cert, {});
    CHECK(served.status == 200);
    CHECK(served.body.rfind("-----BEGIN CERTIFICATE-----", 0) == 0);

    // A lab CA's CRL is unaffected.
    crl.ca = "intermediate";
    auto lab = service.answer(crl, {});
    CHECK(lab.status == 200);
    CHECK(lab.answered == "crl 0 entries");
}
