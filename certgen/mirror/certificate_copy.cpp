#include "certgen/mirror/certificate_copy.hpp"

#include "certgen/certgen_error.hpp"
#include "certgen/certificate_builder.hpp"

#include <openssl/x509v3.h>

namespace tlsfault::certgen {
namespace {

/// Puts `ext` where the extension `nid` was (same position, so the copy lists extensions in the
/// customer's order), or at the end.
void replace_extension(X509* cert, int nid, X509_EXTENSION* ext) {
    int index = X509_get_ext_by_NID(cert, nid, -1);
    if (index >= 0) X509_EXTENSION_free(X509_delete_ext(cert, index));
    if (!ext || !X509_add_ext(cert, ext, index)) throw_openssl_error(std::string("cannot set extension ") + OBJ_nid2sn(nid));
}

void remove_extension(X509* cert, int nid) {
    for (int index = X509_get_ext_by_NID(cert, nid, -1); index >= 0; index = X509_get_ext_by_NID(cert, nid, -1))
        X509_EXTENSION_free(X509_delete_ext(cert, index));
}

bool is_critical(const X509* cert, int nid) {
    int index = X509_get_ext_by_NID(cert, nid, -1);
    return index >= 0 && X509_EXTENSION_get_critical(X509_get_ext(cert, index));
}

void set_uri(GENERAL_NAME* name, const std::string& url) {
    if (name->type == GEN_URI) ASN1_STRING_set(name->d.uniformResourceIdentifier, url.data(), static_cast<int>(url.size()));
}

// Every URI of every distribution point becomes the lab CRL: same count, same structure.
void rewrite_crl_urls(X509* cert, const LabUrls& urls) {
    int crit = 0;
    auto* points = static_cast<CRL_DIST_POINTS*>(X509_get_ext_d2i(cert, NID_crl_distribution_points, &crit, nullptr));
    if (!points) return;
    const std::string url = urls.base + "/crl/" + urls.issuer + ".crl";
    for (int i = 0; i < sk_DIST_POINT_num(points); ++i) {
        DIST_POINT* point = sk_DIST_POINT_value(points, i);
        if (!point->distpoint || point->distpoint->type != 0) continue;  // a relative name has no URL
        for (int j = 0; j < sk_GENERAL_NAME_num(point->distpoint->name.fullname); ++j)
            set_uri(sk_GENERAL_NAME_value(point->distpoint->name.fullname, j), url);
    }
    X509ExtensionPtr ext(X509V3_EXT_i2d(NID_crl_distribution_points, crit, points));
    CRL_DIST_POINTS_free(points);
    replace_extension(cert, NID_crl_distribution_points, ext.get());
}

// OCSP and caIssuers URLs point at the lab listener; other access methods stay.
void rewrite_access_urls(X509* cert, const LabUrls& urls) {
    int crit = 0;
    auto* access = static_cast<AUTHORITY_INFO_ACCESS*>(X509_get_ext_d2i(cert, NID_info_access, &crit, nullptr));
    if (!access) return;
    for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(access); ++i) {
        ACCESS_DESCRIPTION* entry = sk_ACCESS_DESCRIPTION_value(access, i);
        int method = OBJ_obj2nid(entry->method);
        if (method == NID_ad_OCSP)
            set_uri(entry->location, urls.base + "/ocsp/" + urls.issuer);
        else if (method == NID_ad_ca_issuers)
            set_uri(entry->location, urls.base + "/ca/" + urls.issuer + ".der");
    }
    X509ExtensionPtr ext(X509V3_EXT_i2d(NID_info_access, crit, access));
    AUTHORITY_INFO_ACCESS_free(access);
    replace_extension(cert, NID_info_access, ext.get());
}

X509ExtensionPtr config_extension(X509V3_CTX* ctx, int nid, const std::string& value) {
    X509ExtensionPtr ext(X509V3_EXT_nconf_nid(nullptr, ctx, nid, value.c_str()));
    if (!ext) throw_openssl_error(std::string("cannot make extension ") + OBJ_nid2sn(nid) + " = " + value);
    return ext;
}

// Names first: the key identifiers and the signature come last, over the final content.
void apply_name_mutations(X509* cert, const CopyPlan& plan) {
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, nullptr, cert, nullptr, nullptr, 0);
    const std::string host = plan.wrong_host ? *plan.wrong_host : primary_name(cert);
    if (plan.wrong_host) {
        const std::string san = (is_ip_address(host) ? "IP:" : "DNS:") + host;
        replace_extension(
            cert, NID_subject_alt_name,
            config_extension(&ctx, NID_subject_alt_name, (is_critical(cert, NID_subject_alt_name) ? "critical," : "") + san).get());
    }
    X509_NAME* subject = X509_get_subject_name(cert);
    const int cn = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    if ((plan.wrong_host && cn >= 0) || (plan.remove_san && cn < 0 && !host.empty())) {
        X509_NAME* name = X509_NAME_dup(subject);  // edited as a copy, then set: the cached encoding is renewed
        if (cn >= 0) X509_NAME_ENTRY_free(X509_NAME_delete_entry(name, cn));
        bool ok = X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(host.c_str()), -1,
                                             cn, 0) == 1 &&
                  X509_set_subject_name(cert, name) == 1;
        X509_NAME_free(name);
        if (!ok) throw_openssl_error("cannot set the CN to " + host);
    }
    if (plan.remove_san) remove_extension(cert, NID_subject_alt_name);
    if (plan.eku) {
        std::string list = is_critical(cert, NID_ext_key_usage) ? "critical" : "";
        for (const auto& name : *plan.eku) list += (list.empty() ? "" : ",") + name;
        replace_extension(cert, NID_ext_key_usage, config_extension(&ctx, NID_ext_key_usage, list).get());
    }
}

void set_validity(X509* cert, std::int64_t not_before, std::int64_t not_after) {
    if (!ASN1_TIME_set(X509_getm_notBefore(cert), static_cast<time_t>(not_before)) ||
        !ASN1_TIME_set(X509_getm_notAfter(cert), static_cast<time_t>(not_after)))
        throw_openssl_error("cannot set the validity");
}

// SKI/AKI are re-derived from the lab keys, where the customer had them (a copy adds none).
void recompute_key_identifiers(X509* cert, const X509* issuer_cert) {
    X509V3_CTX ctx;
    if (X509_get_ext_by_NID(cert, NID_subject_key_identifier, -1) >= 0) {
        X509V3_set_ctx(&ctx, nullptr, cert, nullptr, nullptr, 0);
        replace_extension(cert, NID_subject_key_identifier, config_extension(&ctx, NID_subject_key_identifier, "hash").get());
    }
    if (X509_get_ext_by_NID(cert, NID_authority_key_identifier, -1) >= 0) {
        X509V3_set_ctx(&ctx, const_cast<X509*>(issuer_cert ? issuer_cert : cert), cert, nullptr, nullptr, 0);
        replace_extension(cert, NID_authority_key_identifier, config_extension(&ctx, NID_authority_key_identifier, "keyid:always").get());
    }
}

}  // namespace

X509Ptr copy_certificate(const CopyPlan& plan) {
    X509Ptr cert(X509_dup(const_cast<X509*>(plan.source)));
    if (!cert) throw_openssl_error("cannot copy a certificate");
    // Signed timestamps from CT logs vouch for the customer's certificate, not for this one.
    remove_extension(cert.get(), NID_ct_precert_scts);
    remove_extension(cert.get(), NID_ct_precert_poison);
    if (plan.fresh_serial) set_random_serial(cert.get());
    if (plan.validity) set_validity(cert.get(), plan.validity->first, plan.validity->second);
    apply_name_mutations(cert.get(), plan);
    if (plan.urls) {
        rewrite_crl_urls(cert.get(), *plan.urls);
        rewrite_access_urls(cert.get(), *plan.urls);
    }
    const X509_NAME* issuer_name = plan.issuer_cert ? X509_get_subject_name(plan.issuer_cert) : X509_get_subject_name(cert.get());
    if (!X509_set_issuer_name(cert.get(), issuer_name) || !X509_set_pubkey(cert.get(), plan.subject_key))
        throw_openssl_error("cannot set the issuer or key of a copy");
    recompute_key_identifiers(cert.get(), plan.issuer_cert);
    if (!X509_sign(cert.get(), plan.issuer_key, plan.md)) throw_openssl_error("cannot sign the copy of a certificate");
    return with_cached_encoding(std::move(cert));
}

X509Ptr make_stand_in_root(const X509_NAME* subject, EVP_PKEY* key, const EVP_MD* md, std::int64_t not_before, std::int64_t not_after) {
    X509Ptr cert(X509_new());
    if (!cert || !X509_set_version(cert.get(), X509_VERSION_3) || !X509_set_subject_name(cert.get(), subject) ||
        !X509_set_issuer_name(cert.get(), subject) || !X509_set_pubkey(cert.get(), key))
        throw_openssl_error("cannot make a stand-in root");
    set_random_serial(cert.get());
    set_validity(cert.get(), not_before, not_after);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    for (auto [nid, value] :
         {std::pair{NID_basic_constraints, "critical,CA:TRUE"}, std::pair{NID_key_usage, "critical,keyCertSign,cRLSign"},
          std::pair{NID_subject_key_identifier, "hash"}, std::pair{NID_authority_key_identifier, "keyid:always"}})
        replace_extension(cert.get(), nid, config_extension(&ctx, nid, value).get());
    if (!X509_sign(cert.get(), key, md)) throw_openssl_error("cannot sign a stand-in root");
    return with_cached_encoding(std::move(cert));
}

std::string primary_name(const X509* cert) {
    auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    std::string out;
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names) && out.empty(); ++i) {
        const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
        if (name->type == GEN_DNS)
            out.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.dNSName)),
                       static_cast<std::size_t>(ASN1_STRING_length(name->d.dNSName)));
    }
    GENERAL_NAMES_free(names);
    if (!out.empty()) return out;
    const X509_NAME* subject = X509_get_subject_name(cert);
    int cn = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    if (cn < 0) return out;
    unsigned char* utf8 = nullptr;
    int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, cn)));
    if (len > 0) out.assign(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(len));
    OPENSSL_free(utf8);
    return out;
}

}  // namespace tlsfault::certgen
