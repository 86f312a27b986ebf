#include "certgen/crl_builder.hpp"

#include "certgen/certgen_error.hpp"

#include <ctime>

namespace tlsfault::certgen {
namespace {

void add_revoked(X509_CRL* crl, const RevokedEntry& entry) {
    X509RevokedPtr revoked(X509_REVOKED_new());
    BIGNUM* bn = nullptr;
    if (!BN_hex2bn(&bn, entry.serial_hex.c_str())) throw CertgenError("bad serial '" + entry.serial_hex + "' in revocation list");
    BignumPtr serial(bn);
    Asn1IntegerPtr serial_asn1(BN_to_ASN1_INTEGER(serial.get(), nullptr));
    Asn1TimePtr when(ASN1_TIME_set(nullptr, static_cast<time_t>(entry.revoked_at)));
    ASN1_ENUMERATED* reason = ASN1_ENUMERATED_new();
    bool ok = revoked && serial_asn1 && when && reason && X509_REVOKED_set_serialNumber(revoked.get(), serial_asn1.get()) &&
              X509_REVOKED_set_revocationDate(revoked.get(), when.get()) && ASN1_ENUMERATED_set(reason, entry.reason) &&
              X509_REVOKED_add1_ext_i2d(revoked.get(), NID_crl_reason, reason, 0, 0);
    ASN1_ENUMERATED_free(reason);
    if (!ok || !X509_CRL_add0_revoked(crl, revoked.get())) throw_openssl_error("cannot add a revoked entry");
    revoked.release();  // owned by the CRL now
}

}  // namespace

X509CrlPtr build_crl(const CertificateAuthority& ca, const std::vector<RevokedEntry>& revoked, const CrlOptions& options) {
    X509CrlPtr crl(X509_CRL_new());
    const std::int64_t now = std::time(nullptr);
    const std::int64_t this_update = options.stale ? now - 30 * 86400 : now + options.this_update_offset;
    const std::int64_t next_update = options.stale ? now - 86400 : now + options.next_update_offset;
    Asn1TimePtr this_time(ASN1_TIME_set(nullptr, static_cast<time_t>(this_update)));
    Asn1TimePtr next_time(ASN1_TIME_set(nullptr, static_cast<time_t>(next_update)));
    if (!crl || !X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) ||
        !X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca.cert.get())) ||
        !X509_CRL_set1_lastUpdate(crl.get(), this_time.get()) || !X509_CRL_set1_nextUpdate(crl.get(), next_time.get()))
        throw_openssl_error("cannot start the CRL of " + ca.short_name);
    for (const auto& entry : revoked)
        if (entry.issuer == ca.short_name) add_revoked(crl.get(), entry);

    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, ca.cert.get(), nullptr, nullptr, crl.get(), 0);
    X509ExtensionPtr akid(X509V3_EXT_nconf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always"));
    Asn1IntegerPtr number(ASN1_INTEGER_new());
    if (!akid || !X509_CRL_add_ext(crl.get(), akid.get(), -1) || !number || !ASN1_INTEGER_set_int64(number.get(), options.crl_number) ||
        !X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0))
        throw_openssl_error("cannot add CRL extensions for " + ca.short_name);
    X509_CRL_sort(crl.get());
    EVP_PKEY* signer = options.wrong_signing_key ? options.wrong_signing_key : ca.key.get();
    if (!X509_CRL_sign(crl.get(), signer, EVP_sha256())) throw_openssl_error("cannot sign the CRL of " + ca.short_name);
    return crl;
}

}  // namespace tlsfault::certgen
