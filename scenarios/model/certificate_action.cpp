#include "scenarios/model/certificate_action.hpp"

#include "certgen/catalogue.hpp"
#include "certgen/certgen_error.hpp"
#include "certgen/key_type.hpp"
#include "certgen/pem_io.hpp"
#include "scenarios/model/named_file.hpp"

#include <ctime>

namespace tlsfault::scenarios {
namespace {

using certgen::CertProfile;
using certgen::TimeBound;

constexpr std::string_view profile_keys[] = {
    "profile",     "common_name", "organization", "dns_names", "ip_addresses",       "not_before", "not_after", "key_type",
    "digest",      "is_ca",       "path_len",     "key_usage", "extended_key_usage", "crl_urls",   "ocsp_urls", "ca_issuers_urls",
    "must_staple", "issuer",      "chain",        "revoked",   "revocation_reason",
};

// "-30d", "+90d", "12h" (relative to minting), or "2020-10-01" / "2020-10-01T22:03:24Z" (UTC).
std::optional<TimeBound> read_time_bound(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    auto text = read_text(node, path, diag);
    if (!text) return std::nullopt;
    const std::string& s = *text;
    std::tm tm{};
    for (const char* format : {"%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d"}) {
        tm = {};
        const char* end = strptime(s.c_str(), format, &tm);
        if (end && *end == '\0') return TimeBound::at(static_cast<std::int64_t>(timegm(&tm)));
    }
    std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    std::size_t digits = i;
    while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits]))) ++digits;
    if (digits > i && digits + 1 == s.size() && digits - i <= 6 && (s.back() == 'd' || s.back() == 'h')) {
        std::int64_t n = std::stoll(s.substr(i, digits - i)) * (s.back() == 'd' ? 86400 : 3600);
        return TimeBound{TimeBound::Kind::relative, s[0] == '-' ? -n : n};
    }
    diag.error(node, path,
               "expected a time relative to now (-30d, +90d, 12h) or a UTC date (2020-10-01 or 2020-10-01T22:03:24Z), got '" + s + "'");
    return std::nullopt;
}

template <typename T>
void read_parsed(const MapReader& m, std::string_view key, std::optional<T> (*parse)(std::string_view), std::string_view what,
                 std::span<const std::string_view> names, T& out) {
    if (!m.has(key)) return;
    auto text = read_string(m.get(key), m.path(key), m.diag());
    if (!text) return;
    if (auto v = parse(*text)) {
        out = *v;
        return;
    }
    std::string hint = did_you_mean(*text, names);
    m.diag().error(m.get(key), m.path(key), "unknown " + std::string(what) + " '" + *text + "'" + hint);
}

void read_strings(const MapReader& m, std::string_view key, std::vector<std::string>& out) {
    if (!m.has(key)) return;
    if (m.get(key).IsSequence() && m.get(key).size() == 0) {
        out.clear();
        return;
    }
    if (auto list = read_string_list(m.get(key), m.path(key), m.diag())) out = *list;
}

void read_usages(const MapReader& m, CertProfile& p) {
    if (m.has("key_usage")) {
        if (auto list = read_string_list(m.get("key_usage"), m.path("key_usage"), m.diag())) {
            std::uint16_t bits = 0;
            constexpr std::string_view names[] = {"digitalSignature", "keyEncipherment", "keyAgreement", "keyCertSign", "cRLSign"};
            for (const auto& name : *list) {
                if (auto bit = certgen::parse_key_usage(name))
                    bits |= *bit;
                else
                    m.diag().error(m.get("key_usage"), m.path("key_usage"), "unknown key usage '" + name + "'" + did_you_mean(name, names));
            }
            p.key_usage = bits;
        }
    }
    if (m.has("extended_key_usage")) {
        const YAML::Node n = m.get("extended_key_usage");
        std::vector<std::string> list;
        if (!(n.IsSequence() && n.size() == 0)) list = read_string_list(n, m.path("extended_key_usage"), m.diag()).value_or(list);
        constexpr std::string_view names[] = {"serverAuth", "clientAuth"};
        p.extended_key_usage.clear();
        for (const auto& name : list) {
            if (auto eku = certgen::parse_extended_key_usage(name))
                p.extended_key_usage.push_back(*eku);
            else
                m.diag().error(n, m.path("extended_key_usage"), "unknown extended key usage '" + name + "'" + did_you_mean(name, names));
        }
    }
}

void read_profile_fields(const MapReader& m, CertProfile& p) {
    Diagnostics& d = m.diag();
    if (m.has("common_name")) p.common_name = read_string(m.get("common_name"), m.path("common_name"), d).value_or(p.common_name);
    if (m.has("organization")) p.organization = read_string(m.get("organization"), m.path("organization"), d).value_or(p.organization);
    read_strings(m, "dns_names", p.dns_names);
    read_strings(m, "ip_addresses", p.ip_addresses);
    if (m.has("not_before")) p.not_before = read_time_bound(m.get("not_before"), m.path("not_before"), d).value_or(p.not_before);
    if (m.has("not_after")) p.not_after = read_time_bound(m.get("not_after"), m.path("not_after"), d).value_or(p.not_after);
    constexpr std::string_view key_types[] = {"ecdsa-p256", "ecdsa-p384", "rsa-1024", "rsa-2048", "rsa-3072", "rsa-4096", "ed25519"};
    read_parsed(m, "key_type", &certgen::parse_key_type, "key type", key_types, p.key_type);
    constexpr std::string_view digests[] = {"sha256", "sha384", "sha512", "sha1"};
    read_parsed(m, "digest", &certgen::parse_digest, "digest", digests, p.digest);
    if (m.has("is_ca")) p.is_ca = read_bool(m.get("is_ca"), m.path("is_ca"), d).value_or(p.is_ca);
    if (m.has("path_len")) p.path_len = read_int(m.get("path_len"), m.path("path_len"), d, 0, 16);
    read_usages(m, p);
    read_strings(m, "crl_urls", p.crl_urls);
    read_strings(m, "ocsp_urls", p.ocsp_urls);
    read_strings(m, "ca_issuers_urls", p.ca_issuers_urls);
    if (m.has("must_staple")) p.must_staple = read_bool(m.get("must_staple"), m.path("must_staple"), d).value_or(p.must_staple);
    constexpr std::string_view issuers[] = {"root", "intermediate", "rogue", "self"};
    read_parsed(m, "issuer", &certgen::parse_issuer_kind, "issuer", issuers, p.issuer);
    constexpr std::string_view chains[] = {"full", "leaf-only"};
    read_parsed(m, "chain", &certgen::parse_chain_kind, "chain", chains, p.chain);
    if (m.has("revoked")) p.revoked = read_bool(m.get("revoked"), m.path("revoked"), d).value_or(p.revoked);
    if (m.has("revocation_reason"))
        p.revocation_reason =
            static_cast<int>(read_int(m.get("revocation_reason"), m.path("revocation_reason"), d, 0, 10).value_or(p.revocation_reason));
}

const CertProfile* find_named_profile(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    auto name = read_text(node, path, diag);
    if (!name) return nullptr;
    const CertProfile* p = certgen::find_profile(*name);
    if (!p) {
        std::string best = certgen::closest_profile_name(*name);
        diag.error(node, path,
                   "unknown certificate profile '" + *name + "'" +
                       (best.empty() ? "; tlsfault certgen --help lists them" : "; did you mean '" + best + "'?"));
    }
    return p;
}

std::optional<ChainCertificate> read_chain_certificate(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    constexpr std::pair<std::string_view, ChainCertificate::Source> lab[] = {
        {"lab-root", ChainCertificate::Source::lab_root},
        {"lab-intermediate", ChainCertificate::Source::lab_intermediate},
        {"rogue-root", ChainCertificate::Source::rogue_root},
    };
    auto text = read_text(node, path, diag);
    if (!text) return std::nullopt;
    for (auto [name, source] : lab)
        if (name == *text) return ChainCertificate{source, {}};
    if (text->find('.') == std::string::npos && text->find('/') == std::string::npos) {
        constexpr std::string_view names[] = {"lab-root", "lab-intermediate", "rogue-root"};
        diag.error(node, path,
                   "unknown chain certificate '" + *text + "'" + did_you_mean(*text, names) + " (a lab CA name or a .pem file)");
        return std::nullopt;
    }
    return read_certificate_file(node, path, diag);
}

// The mirror form takes no profile fields: the customer's certificate is the profile. The
// `profile` kept is "good" under the rule's name, for the events and the connection's label.
std::optional<CertificateAction> parse_mirror_form(const YAML::Node& node, const std::string& path, Diagnostics& diag,
                                                   const std::string& inline_name) {
    MapReader m(node, path, diag, std::vector<std::string_view>(std::begin(mirror_keys), std::end(mirror_keys)));
    if (!m.ok()) return std::nullopt;
    auto mirror = parse_mirror_action(m);
    if (!mirror) return std::nullopt;
    CertificateAction out;
    out.profile = *certgen::find_profile("good");
    out.profile.name = inline_name;
    out.profile.summary = "mirror of " + mirror->file.filename().string();
    out.base_profile = "mirror";
    out.is_inline = true;
    out.mirror = std::move(mirror);
    return out;
}

}  // namespace

std::optional<ChainCertificate> read_certificate_file(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    auto file = read_named_file(node, path, diag, max_pem_file_bytes, "a PEM certificate file");
    if (!file) return std::nullopt;
    try {
        auto cert = certgen::cert_from_pem(*file->bytes, file->path.string());
        return ChainCertificate{ChainCertificate::Source::file, file->path, std::shared_ptr<X509>(cert.release(), X509_free)};
    } catch (const certgen::CertgenError& e) {
        diag.error(node, path, e.what());
        return std::nullopt;
    }
}

std::string_view to_string(ChainAction::Kind kind) {
    constexpr NameTable<ChainAction::Kind, 5> names{{
        {ChainAction::Kind::full, "full"},
        {ChainAction::Kind::leaf_only, "leaf-only"},
        {ChainAction::Kind::reversed, "reversed"},
        {ChainAction::Kind::extra, "extra"},
        {ChainAction::Kind::custom, "custom"},
    }};
    return name_of(names, kind, "full");
}

std::optional<CertificateAction> parse_certificate_action(const YAML::Node& node, const std::string& path, Diagnostics& diag,
                                                          const std::string& inline_name) {
    CertificateAction out;
    if (node.IsScalar()) {
        const CertProfile* p = find_named_profile(node, path, diag);
        if (!p) return std::nullopt;
        out.profile = *p;
        out.base_profile = p->name;
        return out;
    }
    if (node.IsMap() && node["mirror"].IsDefined()) return parse_mirror_form(node, path, diag, inline_name);
    MapReader m(node, path, diag, std::vector<std::string_view>(std::begin(profile_keys), std::end(profile_keys)));
    if (!m.ok()) return std::nullopt;
    const CertProfile* base =
        m.has("profile") ? find_named_profile(m.get("profile"), m.path("profile"), diag) : certgen::find_profile("good");
    if (!base) return std::nullopt;
    out.profile = *base;
    out.base_profile = base->name;
    out.is_inline = m.keys().size() > (m.has("profile") ? 1u : 0u);
    read_profile_fields(m, out.profile);
    if (out.is_inline) {
        out.profile.name = inline_name;
        out.profile.summary = "inline profile based on " + out.base_profile;
    }
    return out;
}

std::optional<ChainAction> parse_chain_action(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    ChainAction out;
    if (node.IsScalar()) {
        // The kinds a bare word names; extra and custom need their map form.
        constexpr NameTable<ChainAction::Kind, 3> words{{
            {ChainAction::Kind::full, "full"},
            {ChainAction::Kind::leaf_only, "leaf-only"},
            {ChainAction::Kind::reversed, "reversed"},
        }};
        auto kind = read_enum(node, path, diag, words, "chain kind");
        if (!kind) return std::nullopt;
        out.kind = *kind;
        return out;
    }
    MapReader m(node, path, diag, {"extra", "custom", "intermediate_status"});
    if (!m.ok()) return std::nullopt;
    if (m.has("intermediate_status")) {
        constexpr std::string_view statuses[] = {"good", "revoked", "unreachable"};
        read_parsed(m, "intermediate_status", &certgen::parse_intermediate_status, "intermediate status", statuses,
                    out.intermediate_status);
        if (!m.has("extra") && !m.has("custom")) return out;
    }
    if (m.has("extra") == m.has("custom")) {
        diag.error(node, path, "give one of: full, leaf-only, reversed, {extra: [...]}, {custom: [...]} or {intermediate_status: ...}");
        return std::nullopt;
    }
    std::string key = m.has("extra") ? "extra" : "custom";
    out.kind = key == "extra" ? ChainAction::Kind::extra : ChainAction::Kind::custom;
    const YAML::Node list = m.get(key);
    if (!list.IsSequence() || list.size() == 0) {
        diag.error(list, m.path(key),
                   "expected a non-empty list of lab-root, lab-intermediate, rogue-root or PEM files, got " + describe(list));
        return std::nullopt;
    }
    for (std::size_t i = 0; i < list.size(); ++i)
        if (auto c = read_chain_certificate(list[i], m.path(key) + "[" + std::to_string(i) + "]", diag)) out.certificates.push_back(*c);
    return out;
}

void apply_intermediate_status(const ChainAction& chain, std::optional<CertificateAction>& certificate, const YAML::Node& chain_node,
                               const std::string& chain_path, Diagnostics& diag, const std::string& inline_name) {
    if (chain.intermediate_status == certgen::IntermediateStatus::good) return;
    const YAML::Node at = chain_node.IsMap() ? chain_node["intermediate_status"] : chain_node;
    const std::string key = chain_path + ".intermediate_status";
    if (chain.kind == ChainAction::Kind::custom) {
        diag.error(at, key, "a custom chain lists its certificates itself; intermediate_status applies to the full chain (or extra)");
        return;
    }
    if (!certificate) {
        certificate.emplace();
        certificate->profile = *certgen::find_profile("good");
        certificate->base_profile = "good";
    }
    certgen::CertProfile& profile = certificate->profile;
    if (certificate->mirror || profile.issuer != certgen::IssuerKind::intermediate) {
        diag.error(at, key,
                   "this leaf is not issued by the lab intermediate (" +
                       (certificate->mirror ? std::string("a mirrored chain has its own CAs")
                                            : "issuer: " + std::string(to_string(profile.issuer))) +
                       "); drop intermediate_status, or use a profile with issuer: intermediate");
        return;
    }
    profile.intermediate_status = chain.intermediate_status;
    if (!certificate->is_inline)
        profile.summary = "profile " + certificate->base_profile + " issued by the " + std::string(to_string(chain.intermediate_status)) +
                          " intermediate";
    profile.name = inline_name;
    certificate->is_inline = true;
}

}  // namespace tlsfault::scenarios
