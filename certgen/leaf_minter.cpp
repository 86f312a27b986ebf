#include "certgen/leaf_minter.hpp"

#include "certgen/certgen_error.hpp"
#include "certgen/certificate_builder.hpp"
#include "certgen/leaf_shells.hpp"
#include "certgen/pem_io.hpp"
#include "certgen/x509_names.hpp"

#include <ctime>

namespace tlsfault::certgen {
namespace {

void replace_all(std::string& text, std::string_view from, std::string_view to) {
    for (std::size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
}

std::uint16_t default_key_usage(const CertProfile& profile) {
    if (profile.is_ca) return ku_key_cert_sign | ku_crl_sign;
    bool rsa = profile.key_type != KeyType::ec_p256 && profile.key_type != KeyType::ec_p384 && profile.key_type != KeyType::ed25519;
    return rsa ? (ku_digital_signature | ku_key_encipherment) : ku_digital_signature;
}

/// The subjectAltName as add_extensions writes it (DNS names, then IP addresses), as the event shows it.
std::vector<std::string> san_text(const CertificateFields& fields) {
    std::vector<std::string> out;
    out.reserve(fields.dns_names.size() + fields.ip_addresses.size());
    for (const auto& name : fields.dns_names) out.push_back("DNS:" + name);
    for (const auto& ip : fields.ip_addresses) out.push_back(ip_name_text(ip));
    return out;
}

}  // namespace

std::string expand_placeholders(std::string_view text, std::string_view host, std::string_view issuer, const MintOptions& options) {
    std::string out(text);
    replace_all(out, "{host}", host);
    replace_all(out, "{issuer}", issuer);
    replace_all(out, "{revocation_url}", options.revocation_url);
    replace_all(out, "{unreachable_url}", options.unreachable_url);
    return out;
}

LeafMinter::LeafMinter(const CaStore& cas, KeyPool& keys, RevocationRegistry& revocations, MintOptions options)
    : cas_(cas), keys_(keys), revocations_(revocations), options_(std::move(options)) {}

std::shared_ptr<const IssuedCertificate> LeafMinter::mint(const CertProfile& profile, std::string_view host) const {
    const bool host_is_ip = is_ip_address(host);
    if (!host_is_ip && !is_valid_dns_name(host))
        throw CertgenError("cannot mint for host '" + std::string(host) + "': not a DNS name or IP address");
    const CertificateAuthority* ca = cas_.issuer(profile.issuer, profile.intermediate_status);
    const std::string issuer_name = ca ? ca->short_name : "self";
    auto expand = [&](const std::string& s) { return expand_placeholders(s, host, issuer_name, options_); };

    CertificateFields fields;
    fields.common_name = expand(profile.common_name);
    fields.organization = profile.organization;
    for (const auto& name : profile.dns_names) {
        // "{host}" means "the host", which for an IP literal belongs in an IP SAN.
        if (name == "{host}" && host_is_ip)
            fields.ip_addresses.emplace_back(host);
        else
            fields.dns_names.push_back(expand(name));
    }
    for (const auto& ip : profile.ip_addresses) fields.ip_addresses.push_back(expand(ip));
    const std::int64_t now = std::time(nullptr);
    fields.not_before = profile.not_before.resolve(now);
    fields.not_after = profile.not_after.resolve(now);
    fields.is_ca = profile.is_ca;
    fields.path_len = profile.path_len;
    fields.key_usage = profile.key_usage.value_or(default_key_usage(profile));
    fields.extended_key_usage = profile.extended_key_usage;
    for (const auto& url : profile.crl_urls) fields.crl_urls.push_back(expand(url));
    for (const auto& url : profile.ocsp_urls) fields.ocsp_urls.push_back(expand(url));
    for (const auto& url : profile.ca_issuers_urls) fields.ca_issuers_urls.push_back(expand(url));
    fields.must_staple = profile.must_staple;

    auto issued = std::make_shared<IssuedCertificate>();
    issued->profile = profile.name;
    issued->host = std::string(host);
    issued->issuer = issuer_name;
    issued->key = share(keys_.key(profile.key_type));
    EVP_PKEY* signer = ca ? ca->key.get() : issued->key.get();
    KeyType signer_type = ca ? key_type_of(signer).value_or(KeyType::ec_p256) : profile.key_type;
    issued->leaf = build_certificate(take_leaf_shell(issued->key.get()), fields, ca ? ca->cert.get() : nullptr, signer,
                                     signing_md(profile.digest, signer_type));
    if (profile.chain == ChainKind::full) {
        if (profile.issuer == IssuerKind::intermediate) issued->chain.push_back(share(ca->cert.get()));
        // An untrusted root is sent along, as interception boxes do: the client sees the whole story.
        if (profile.issuer == IssuerKind::rogue) issued->chain.push_back(share(cas_.rogue_root().cert.get()));
    }
    issued->serial_hex = serial_hex(issued->leaf.get());
    issued->sha256_fingerprint = sha256_fingerprint(issued->leaf.get());
    issued->subject_text = subject_line(issued->leaf.get());
    issued->issuer_text = issuer_line(issued->leaf.get());
    issued->fields = shown_fields(issued->leaf.get(), san_text(fields), std::move(fields.crl_urls), std::move(fields.ocsp_urls));
    if (profile.revoked && ca) revocations_.add({ca->short_name, issued->serial_hex, now - 3600, profile.revocation_reason});
    return issued;
}

}  // namespace tlsfault::certgen
