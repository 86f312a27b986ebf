// What a new host costs: minting a leaf with a pooled key (one signature), per key type of
// the leaf, and a cache hit for comparison. Run: build/bench/certgen_bench
#include "certgen/catalogue.hpp"
#include "certgen/lab_pki.hpp"
#include "certgen/leaf_cache.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <string>
#include <thread>

using namespace tlsfault;

namespace {

certgen::LabPki& lab() {
    static auto pki = certgen::LabPki::in_memory();
    return *pki;
}

// A new host every iteration, so nothing is cached: the per-connection cost of an unseen SNI.
void mint_new_host(benchmark::State& state, certgen::KeyType type) {
    certgen::CertProfile profile = *certgen::find_profile("good");
    profile.key_type = type;
    lab().keys().key(type);  // pre-generated, as `tlsfault run` does at start-up
    std::size_t n = 0;
    for (auto _ : state) {
        auto cert = lab().minter().mint(profile, "host" + std::to_string(n++) + ".bench.test");
        benchmark::DoNotOptimize(cert);
    }
}

// New hosts arriving no faster than the shell pool refills (leaf_shells.hpp): what one new
// host costs on the traffic path when it is not part of a burst of more than 32.
void mint_new_host_spaced(benchmark::State& state) {
    certgen::CertProfile profile = *certgen::find_profile("good");
    certgen::KeyType types[] = {profile.key_type};
    lab().keys().warm_up(types);
    std::size_t n = 0;
    for (auto _ : state) {
        auto cert = lab().minter().mint(profile, "spaced" + std::to_string(n++) + ".bench.test");
        benchmark::DoNotOptimize(cert);
        state.PauseTiming();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));  // the refill thread's turn
        state.ResumeTiming();
    }
}

void cache_hit(benchmark::State& state) {
    certgen::LeafCache cache(lab().minter(), 1024);
    const auto& good = *certgen::find_profile("good");
    cache.get(good, "seen.bench.test");
    for (auto _ : state) benchmark::DoNotOptimize(cache.get(good, "seen.bench.test"));
}

void cache_miss(benchmark::State& state) {
    certgen::LeafCache cache(lab().minter(), 1024);
    const auto& good = *certgen::find_profile("good");
    std::size_t n = 0;
    for (auto _ : state) benchmark::DoNotOptimize(cache.get(good, "host" + std::to_string(n++) + ".bench.test"));
}

}  // namespace

BENCHMARK_CAPTURE(mint_new_host, ecdsa_p256, certgen::KeyType::ec_p256)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(mint_new_host, rsa_2048, certgen::KeyType::rsa_2048)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(mint_new_host, ed25519, certgen::KeyType::ed25519)->Unit(benchmark::kMicrosecond);
BENCHMARK(mint_new_host_spaced)->Unit(benchmark::kMicrosecond);
BENCHMARK(cache_miss)->Unit(benchmark::kMicrosecond);
BENCHMARK(cache_hit)->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
