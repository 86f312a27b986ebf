// The mirror's chain report (`tlsfault inspect`): each certificate as a support engineer reads it,
// and the faults seen with the profile and mutation that reproduce each.
#include "certgen/mirror/chain_report.hpp"

#include "certgen/certificate_builder.hpp"
#include "certgen/mirror/customer_chain.hpp"
#include "certgen/pem_io.hpp"
#include "certgen/x509_names.hpp"

#include <openssl/core_names.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>

namespace tlsfault::certgen {
namespace {

std::string time_text(const ASN1_TIME* time) {
    std::tm tm{};
    if (!ASN1_TIME_to_tm(time, &tm)) return "?";
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buf;
}

std::vector<std::string> eku_list(const X509* cert) {
    std::vector<std::string> out;
    auto* usages = static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(cert, NID_ext_key_usage, nullptr, nullptr));
    for (int i = 0; usages && i < sk_ASN1_OBJECT_num(usages); ++i) {
        int nid = OBJ_obj2nid(sk_ASN1_OBJECT_value(usages, i));
        out.push_back(nid == NID_undef ? "unknown" : OBJ_nid2sn(nid));
    }
    EXTENDED_KEY_USAGE_free(usages);
    return out;
}

std::string basic_constraints(const X509* cert) {
    auto* bc = static_cast<BASIC_CONSTRAINTS*>(X509_get_ext_d2i(cert, NID_basic_constraints, nullptr, nullptr));
    if (!bc) return "none";
    std::string out = bc->ca ? "CA:TRUE" : "CA:FALSE";
    if (bc->ca && bc->pathlen) out += ", pathlen:" + std::to_string(ASN1_INTEGER_get(bc->pathlen));
    BASIC_CONSTRAINTS_free(bc);
    return out;
}

std::string joined(const std::vector<std::string>& items) {
    if (items.empty()) return "none";
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

std::string validity_line(const X509* cert, std::int64_t now) {
    std::string line = time_text(X509_get0_notBefore(cert)) + " to " + time_text(X509_get0_notAfter(cert));
    if (epoch_seconds(X509_get0_notAfter(cert)) < now)
        line += "  [EXPIRED]";
    else if (epoch_seconds(X509_get0_notBefore(cert)) > now)
        line += "  [NOT YET VALID]";
    return line;
}

std::string certificate_block(const X509* cert, std::size_t index, std::int64_t now) {
    std::string role = index == 0 ? "leaf" : is_self_issued(cert) ? "root" : "intermediate";
    std::string out = "[" + std::to_string(index) + "] " + role + "\n";
    auto field = [&out](const char* name, const std::string& value) { out += "    " + std::string(name) + value + "\n"; };
    field("subject:      ", subject_line(cert));
    field("issuer:       ", issuer_line(cert));
    field("SANs:         ", joined(subject_alt_names(cert)));
    field("validity:     ", validity_line(cert, now));
    field("key:          ", key_description(cert));
    field("signature:    ", signature_description(cert));
    field("EKU:          ", joined(eku_list(cert)));
    field("constraints:  ", basic_constraints(cert));
    field("CRL:          ", joined(crl_distribution_names(cert)));
    field("OCSP:         ", joined(access_locations(cert, NID_ad_OCSP)));
    field("CA issuers:   ", joined(access_locations(cert, NID_ad_ca_issuers)));
    field("serial:       ", serial_hex(cert));
    return out;
}

bool matches_host(const X509* leaf, const std::string& host) {
    if (is_ip_address(host)) return X509_check_ip_asc(const_cast<X509*>(leaf), host.c_str(), 0) == 1;
    return X509_check_host(const_cast<X509*>(leaf), host.c_str(), host.size(), 0, nullptr) == 1;
}

bool issued_by_one_of(const X509* cert, std::span<const X509Ptr> chain) {
    return std::any_of(chain.begin(), chain.end(), [&](const X509Ptr& c) {
        return c.get() != cert && X509_check_issued(c.get(), const_cast<X509*>(cert)) == X509_V_OK;
    });
}

void validity_faults(std::span<const X509Ptr> chain, std::int64_t now, std::vector<ChainFault>& out) {
    for (std::size_t i = 0; i < chain.size(); ++i) {
        const X509* cert = chain[i].get();
        std::string who = i == 0 ? "the leaf" : "'" + subject_line(cert) + "'";
        if (epoch_seconds(X509_get0_notAfter(cert)) < now)
            out.push_back({who + " expired on " + time_text(X509_get0_notAfter(cert)), "expired", "expired"});
        else if (epoch_seconds(X509_get0_notBefore(cert)) > now)
            out.push_back({who + " is not valid before " + time_text(X509_get0_notBefore(cert)), "not-yet-valid", "not_yet_valid"});
    }
}

void leaf_faults(const X509* leaf, const std::optional<std::string>& host, std::vector<ChainFault>& out) {
    if (X509_get_ext_by_NID(leaf, NID_subject_alt_name, -1) < 0)
        out.push_back({"the leaf has no subjectAltName (modern clients ignore the CN)", "no-san", "remove_san"});
    if (host && !matches_host(leaf, *host))
        out.push_back(
            {"the leaf is not for " + *host + " (names: " + joined(subject_alt_names(leaf)) + ")", "wrong-host", "wrong_host=" + *host});
    auto ekus = eku_list(leaf);
    if (!ekus.empty() && std::find(ekus.begin(), ekus.end(), "serverAuth") == ekus.end() &&
        std::find(ekus.begin(), ekus.end(), "anyExtendedKeyUsage") == ekus.end())
        out.push_back({"the leaf's EKU (" + joined(ekus) + ") has no serverAuth", "wrong-eku", "eku=" + ekus.front()});
}

}  // namespace

std::string key_description(const X509* cert) {
    EVP_PKEY* key = X509_get0_pubkey(cert);
    if (!key) return "unreadable";
    if (EVP_PKEY_is_a(key, "RSA")) return "RSA " + std::to_string(EVP_PKEY_get_bits(key));
    if (EVP_PKEY_is_a(key, "EC")) {
        char group[64] = {};
        size_t len = 0;
        EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len);
        std::string g = group;
        return "EC " + (g == "prime256v1" ? std::string("P-256") : g == "secp384r1" ? std::string("P-384") : g);
    }
    const char* name = EVP_PKEY_get0_type_name(key);
    return name ? name : "unknown";
}

std::string signature_description(const X509* cert) { return OBJ_nid2ln(X509_get_signature_nid(cert)); }

std::vector<ChainFault> faults_seen(std::span<const X509Ptr> chain, const std::optional<std::string>& host, std::int64_t now) {
    std::vector<ChainFault> out;
    if (chain.empty()) return out;
    const X509* leaf = chain.front().get();
    validity_faults(chain, now, out);
    const bool self_signed = is_self_issued(leaf);
    if (self_signed)
        out.push_back({"the leaf is self-signed", "self-signed", "self_signed"});
    else if (!issued_by_one_of(leaf, chain))
        out.push_back({"the leaf's issuer '" + issuer_line(leaf) + "' is not in the chain (missing intermediate)", "missing-intermediate",
                       "drop_intermediate"});
    leaf_faults(leaf, host, out);
    for (std::size_t i = 0; i < chain.size(); ++i) {
        const X509* cert = chain[i].get();
        if (i > 0 && is_self_issued(cert)) continue;  // a root's own signature is never checked
        int md = NID_undef;
        X509_get_signature_info(const_cast<X509*>(cert), &md, nullptr, nullptr, nullptr);
        if (md == NID_sha1 || md == NID_md5)
            out.push_back({(i == 0 ? std::string("the leaf") : "'" + subject_line(cert) + "'") + " is signed with " + OBJ_nid2sn(md),
                           "sha1-signature", "sha1"});
    }
    for (const auto& cert : chain) {
        EVP_PKEY* key = X509_get0_pubkey(cert.get());
        if (key && EVP_PKEY_is_a(key, "RSA") && EVP_PKEY_get_bits(key) < 2048)
            out.push_back(
                {"'" + subject_line(cert.get()) + "' has a weak key (" + key_description(cert.get()) + ")", "rsa-1024", "rsa_1024"});
    }
    return out;
}

std::string chain_report(std::span<const X509Ptr> chain, const std::optional<std::string>& host, std::int64_t now) {
    std::string out;
    for (std::size_t i = 0; i < chain.size(); ++i) out += certificate_block(chain[i].get(), i, now);
    const auto faults = faults_seen(chain, host, now);
    if (faults.empty()) out += "faults seen: none" + std::string(host ? "" : " (give --host NAME to check the name too)") + "\n";
    for (const auto& f : faults) out += "fault: " + f.what + "\n    reproduce: profile " + f.profile + ", or --mutate " + f.mutate + "\n";
    return out;
}

}  // namespace tlsfault::certgen
