#include "scenarios/model/sequence.hpp"

#include <cctype>

namespace tlsfault::scenarios {
namespace {

constexpr NameTable<Sequence::Per, 4> per_names{{
    {Sequence::Per::client_host, "client-host"},
    {Sequence::Per::host, "host"},
    {Sequence::Per::client, "client"},
    {Sequence::Per::all, "all"},
}};

std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
    return h;
}

/// The host as attempts count it: lower-case, without a trailing dot, at most 253 bytes (the
/// longest DNS name): a client sending a 64 KB SNI costs a bounded key.
std::string normalised_host(std::string_view host) {
    if (!host.empty() && host.back() == '.') host.remove_suffix(1);
    std::string out(host.substr(0, max_counted_host_length));
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

double seeded_uniform(std::uint64_t seed, std::string_view key, std::uint64_t n) {
    std::uint64_t x = splitmix64(splitmix64(seed ^ fnv1a(key)) ^ n);
    return static_cast<double>(x >> 11) * 0x1.0p-53;
}

bool Sequence::fires(std::uint64_t attempt, std::string_view key) const {
    switch (kind) {
    case Kind::always: return true;
    case Kind::first: return attempt >= 1 && attempt <= count;
    case Kind::every: return count > 0 && attempt % count == 0;
    case Kind::probability: return seeded_uniform(seed, key, attempt) < probability;
    }
    return true;
}

std::string attempt_key(Sequence::Per per, std::string_view client, std::string_view host) {
    switch (per) {
    case Sequence::Per::client_host: return std::string(client) + "|" + normalised_host(host);
    case Sequence::Per::host: return normalised_host(host);
    case Sequence::Per::client: return std::string(client);
    case Sequence::Per::all: return {};
    }
    return {};
}

std::optional<Sequence> parse_sequence(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    MapReader m(node, path, diag, {"first", "every", "probability", "seed", "per"});
    if (!m.ok()) return std::nullopt;
    Sequence out;
    int kinds = m.has("first") + m.has("every") + m.has("probability");
    if (kinds != 1) {
        diag.error(node, path, "give exactly one of first, every or probability");
        return std::nullopt;
    }
    if (m.has("first")) {
        out.kind = Sequence::Kind::first;
        out.count = static_cast<std::uint64_t>(read_int(m.get("first"), m.path("first"), diag, 1, 1000000).value_or(1));
    } else if (m.has("every")) {
        out.kind = Sequence::Kind::every;
        out.count = static_cast<std::uint64_t>(read_int(m.get("every"), m.path("every"), diag, 1, 1000000).value_or(1));
    } else {
        out.kind = Sequence::Kind::probability;
        out.probability = read_number(m.get("probability"), m.path("probability"), diag, 0.0, 1.0).value_or(1.0);
    }
    if (m.has("seed")) {
        if (out.kind != Sequence::Kind::probability) diag.error(m.get("seed"), m.path("seed"), "seed only applies with probability");
        out.seed = static_cast<std::uint64_t>(read_int(m.get("seed"), m.path("seed"), diag, 0, 2147483647).value_or(0));
    }
    if (m.has("per")) out.per = read_enum(m.get("per"), m.path("per"), diag, per_names, "attempt counting").value_or(out.per);
    return out;
}

}  // namespace tlsfault::scenarios
