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
