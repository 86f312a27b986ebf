// The leaf cache: hits cost no signature, the least recently used entry goes at capacity.
#include "certgen/catalogue.hpp"
#include "certgen/lab_pki.hpp"
#include "certgen/leaf_cache.hpp"

#include <doctest/doctest.h>

using namespace tlsfault;

namespace {

std::string der_of(X509* cert) {
    unsigned char* bytes = nullptr;
    int length = i2d_X509(cert, &bytes);
    std::string der(reinterpret_cast<const char*>(bytes), length > 0 ? static_cast<std::size_t>(length) : 0);
    OPENSSL_free(bytes);
    return der;
}

/// The same certificate: a hit may hand out the leaf parsed back from its DER, another object.
bool same_certificate(const certgen::IssuedCertificate& a, const certgen::IssuedCertificate& b) {
    return a.serial_hex == b.serial_hex && der_of(a.leaf.get()) == der_of(b.leaf.get());
}

}  // namespace

TEST_CASE("leaf cache: a second request for the same host is a hit with the same certificate") {
    auto pki = certgen::LabPki::in_memory();
    certgen::LeafCache cache(pki->minter(), 8);
    const auto& good = *certgen::find_profile("good");
    auto first = cache.get(good, "a.test");
    auto second = cache.get(good, "a.test");
    CHECK(same_certificate(*first, *second));
    CHECK(cache.get(good, "a.test") == second);  // from the second on, the very same object
    CHECK(cache.hits() == 2);
    CHECK(cache.misses() == 1);
    auto other_profile = cache.get(*certgen::find_profile("expired"), "a.test");
    CHECK(!same_certificate(*other_profile, *first));
    CHECK(cache.misses() == 2);
}

TEST_CASE("leaf cache: evicts the least recently used entry at capacity 2") {
    auto pki = certgen::LabPki::in_memory();
    certgen::LeafCache cache(pki->minter(), 2);
    const auto& good = *certgen::find_profile("good");
    auto a = cache.get(good, "a.test");
    cache.get(good, "b.test");
    cache.get(good, "a.test");  // a is now the most recent
    cache.get(good, "c.test");  // evicts b
    CHECK(cache.size() == 2);
    CHECK(same_certificate(*cache.get(good, "a.test"), *a));
    std::size_t misses = cache.misses();
    cache.get(good, "b.test");
    CHECK(cache.misses() == misses + 1);
}

TEST_CASE("leaf cache: a profile edited under the same name (a reloaded inline profile) is minted afresh") {
    auto pki = certgen::LabPki::in_memory();
    certgen::LeafCache cache(pki->minter(), 8);
    auto profile = *certgen::find_profile("good");
    profile.name = "reload-demo/rules[0]";
    profile.common_name = "before.test";
    auto before = cache.get(profile, "a.test");
    CHECK(same_certificate(*cache.get(profile, "a.test"), *before));
    profile.common_name = "after.test";
    auto after = cache.get(profile, "a.test");
    CHECK(!same_certificate(*after, *before));
    CHECK(cache.misses() == 2);
    char cn[64] = {};
    X509_NAME_get_text_by_NID(X509_get_subject_name(after->leaf.get()), NID_commonName, cn, sizeof cn);
    CHECK(std::string(cn) == "after.test");
    profile.not_after = certgen::TimeBound::days_from_now(10);
    CHECK(!same_certificate(*cache.get(profile, "a.test"), *after));
}

TEST_CASE("leaf cache: the key differs for every minted field and is unambiguous") {
    const auto& good = *certgen::find_profile("good");
    const std::string base = certgen::leaf_cache_key(good, "a.test");
    CHECK(certgen::leaf_cache_key(good, "a.test") == base);
    auto edited = [&](auto change) {
        auto p = good;
        change(p);
        return certgen::leaf_cache_key(p, "a.test");
    };
    CHECK(edited([](auto& p) { p.dns_names = {"x.test"}; }) != base);
    CHECK(edited([](auto& p) { p.key_type = certgen::KeyType::rsa_2048; }) != base);
    CHECK(edited([](auto& p) { p.revoked = true; }) != base);
    CHECK(edited([](auto& p) { p.not_before = certgen::TimeBound::at(0); }) != base);
    CHECK(edited([](auto& p) { p.ocsp_urls.clear(); }) != base);
    // Two lists that concatenate alike still differ.
    CHECK(edited([](auto& p) { p.dns_names = {"ab", "c"}; }) != edited([](auto& p) { p.dns_names = {"a", "bc"}; }));
}

TEST_CASE("leaf cache: from the first hit on, the leaf holds the DER it was signed as (no re-encoding per handshake)") {
    auto pki = certgen::LabPki::in_memory();
    certgen::LeafCache cache(pki->minter(), 8);
    const auto& good = *certgen::find_profile("good");
    auto minted = cache.get(good, "cached.test");
    const std::string signed_der = der_of(minted->leaf.get());
    REQUIRE(!signed_der.empty());
    auto hit = cache.get(good, "cached.test");
    X509* leaf = hit->leaf.get();
    CHECK(der_of(leaf) == signed_der);
    CHECK(hit->sha256_fingerprint == minted->sha256_fingerprint);
    CHECK(hit->subject_text == minted->subject_text);
    CHECK(hit->chain.size() == minted->chain.size());
    // A field changed behind OpenSSL's back shows whether i2d re-encodes the certificate (a TLS
    // handshake encodes the leaf twice): with the saved encoding it hands out the signed bytes.
    REQUIRE(ASN1_INTEGER_set(X509_get_serialNumber(leaf), 1) == 1);
    CHECK(der_of(leaf) == signed_der);
}
