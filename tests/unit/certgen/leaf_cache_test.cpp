// The leaf cache: hits cost no signature, the least recently used entry goes at capacity.
#include "certgen/catalogue.hpp"
#include "certgen/lab_pki.hpp"
#include "certgen/leaf_cache.hpp"

#include <doctest/doctest.h>

using namespace tlsfault;

TEST_CASE("leaf cache: a second request for the same host is a hit with the same certificate") {
    auto pki = certgen::LabPki::in_memory();
    certgen::LeafCache cache(pki->minter(), 8);
    const auto& good = *certgen::find_profile("good");
    auto first = cache.get(good, "a.test");
    auto second = cache.get(good, "a.test");
    CHECK(first == second);
    CHECK(cache.hits() == 1);
    CHECK(cache.misses() == 1);
    auto other_profile = cache.get(*certgen::find_profile("expired"), "a.test");
    CHECK(other_profile != first);
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
    CHECK(cache.get(good, "a.test") == a);
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
    CHECK(cache.get(profile, "a.test") == before);
    profile.common_name = "after.test";
    auto after = cache.get(profile, "a.test");
    CHECK(after != before);
    CHECK(cache.misses() == 2);
    char cn[64] = {};
    X509_NAME_get_text_by_NID(X509_get_subject_name(after->leaf.get()), NID_commonName, cn, sizeof cn);
    CHECK(std::string(cn) == "after.test");
    profile.not_after = certgen::TimeBound::days_from_now(10);
    CHECK(cache.get(profile, "a.test") != after);
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
