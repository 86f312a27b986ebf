// See judge_facts.hpp.
#include "proxy/scenario/judge_facts.hpp"

#include "proxy/core/connection.hpp"
#include "proxy/scenario/scenario_runtime.hpp"
#include "proxy/tls/client_hello.hpp"

#include <algorithm>

namespace tlsfault::proxy {
namespace {

constexpr std::size_t max_served = 4096;

std::uint16_t wire_version(scenarios::TlsVersion v) {
    switch (v) {
    case scenarios::TlsVersion::tls1_0: return 0x0301;
    case scenarios::TlsVersion::tls1_1: return 0x0302;
    case scenarios::TlsVersion::tls1_2: return 0x0303;
    case scenarios::TlsVersion::tls1_3: return 0x0304;
    }
    return 0;
}

/// The lowest non-GREASE version in supported_versions; 0 without the extension.
std::uint16_t lowest_offered_version(const ClientHello& hello) {
    std::uint16_t lowest = 0;
    for (auto v : hello.supported_versions)
        if (!is_grease(v) && (lowest == 0 || v < lowest)) lowest = v;
    return lowest;
}

bool contains_any(const std::vector<std::uint16_t>& values, std::initializer_list<std::uint16_t> wanted) {
    return std::any_of(values.begin(), values.end(),
                       [&](std::uint16_t v) { return std::find(wanted.begin(), wanted.end(), v) != wanted.end(); });
}

constexpr std::uint16_t extension_status_request = 5;

}  // namespace

void ServedSiblings::served(const std::string& client, const std::string& host, std::uint64_t conn) {
    std::lock_guard lock(mutex_);
    if (served_.size() >= max_served) served_.pop_front();
    served_.push_back({client, host, conn, Clock::now()});
}

bool ServedSiblings::sibling_served(const std::string& client, const std::string& host, std::uint64_t conn) const {
    const auto since = Clock::now() - window;
    std::lock_guard lock(mutex_);
    return std::any_of(served_.rbegin(), served_.rend(),
                       [&](const Served& s) { return s.conn != conn && s.at >= since && s.client == client && s.host == host; });
}

void note_client_facts(ScenarioConnection& sc, const ClientHello* hello) {
    auto& facts = sc.client_facts;
    if (sc.rule && sc.rule->tls && sc.rule->tls->min_version) facts.server_min_version = wire_version(*sc.rule->tls->min_version);
    if (sc.rule && sc.rule->tls && sc.rule->tls->max_version) facts.server_max_version = wire_version(*sc.rule->tls->max_version);
    if (!hello) return;
    facts.hello_seen = true;
    facts.highest_offered_version = highest_offered_version(*hello);
    facts.lowest_offered_version = lowest_offered_version(*hello);
    facts.offered_alpn = !hello->alpn.empty();
    facts.offered_sha1_signatures = contains_any(hello->signature_algorithms, {0x0201, 0x0203});  // rsa_pkcs1_sha1, ecdsa_sha1
    // TLS_RSA_WITH_AES_128/256_CBC_SHA(256), AES_128/256_GCM: RSA key exchange, no forward secrecy.
    facts.offered_static_rsa = contains_any(hello->cipher_suites, {0x002F, 0x0035, 0x003C, 0x003D, 0x009C, 0x009D});
    facts.offered_status_request = contains_any(hello->extensions, {extension_status_request});
}

void complete_observation(const Connection& conn, const ScenarioConnection& sc, scenarios::ObservedVerdict& observed) {
    observed.client = sc.client_facts;
    if (sc.judge_sources.fetches) {
        const auto seen = sc.judge_sources.fetches->of(conn.id());
        observed.client.revocation_fetched = seen.revocation;
        observed.client.aia_fetched = seen.aia;
    }
    if (!sc.judge_sources.siblings) return;
    if (observed.outcome == Outcome::accepted)
        sc.judge_sources.siblings->served(sc.facts.client, sc.facts.host, conn.id());
    else if (observed.handshake_completed)
        observed.client.sibling_served = sc.judge_sources.siblings->sibling_served(sc.facts.client, sc.facts.host, conn.id());
}

}  // namespace tlsfault::proxy
