#include "certgen/ocsp_responder.hpp"

#include "certgen/certgen_error.hpp"
#include "certgen/certificate_builder.hpp"
#include "certgen/pem_io.hpp"

#include "common/name_table.hpp"

#include <openssl/err.h>
#include <openssl/ocsp.h>

#include <array>
#include <ctime>

namespace tlsfault::certgen {
namespace {

using OcspRequestPtr = std::unique_ptr<OCSP_REQUEST, OpenSslDeleter<OCSP_REQUEST_free>>;
using OcspResponsePtr = std::unique_ptr<OCSP_RESPONSE, OpenSslDeleter<OCSP_RESPONSE_free>>;
using OcspBasicPtr = std::unique_ptr<OCSP_BASICRESP, OpenSslDeleter<OCSP_BASICRESP_free>>;
using OcspCertIdPtr = std::unique_ptr<OCSP_CERTID, OpenSslDeleter<OCSP_CERTID_free>>;

constexpr NameTable<OcspBehaviour, 8> behaviour_names{{
    {OcspBehaviour::truthful, "truthful"},
    {OcspBehaviour::good, "good"},
    {OcspBehaviour::revoked, "revoked"},
    {OcspBehaviour::unknown, "unknown"},
    {OcspBehaviour::try_later, "tryLater"},
    {OcspBehaviour::unauthorized, "unauthorized"},
    {OcspBehaviour::malformed_request, "malformedRequest"},
    {OcspBehaviour::internal_error, "internalError"},
}};

std::string response_der(OCSP_RESPONSE* response) {
    unsigned char* der = nullptr;
    int len = i2d_OCSP_RESPONSE(response, &der);
    if (len <= 0) throw_openssl_error("cannot encode an OCSP response");
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
    return out;
}

std::string status_only(int status) {
    OcspResponsePtr response(OCSP_response_create(status, nullptr));
    return response_der(response.get());
}

// The response statuses that carry no body at all.
std::optional<int> bodyless_status(OcspBehaviour behaviour) {
    switch (behaviour) {
    case OcspBehaviour::try_later: return OCSP_RESPONSE_STATUS_TRYLATER;
    case OcspBehaviour::unauthorized: return OCSP_RESPONSE_STATUS_UNAUTHORIZED;
    case OcspBehaviour::malformed_request: return OCSP_RESPONSE_STATUS_MALFORMEDREQUEST;
    case OcspBehaviour::internal_error: return OCSP_RESPONSE_STATUS_INTERNALERROR;
    default: return std::nullopt;
    }
}

std::string id_serial_hex(OCSP_CERTID* id) {
    ASN1_INTEGER* serial = nullptr;
    OCSP_id_get0_info(nullptr, nullptr, nullptr, &serial, id);
    BignumPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
    char* text = bn ? BN_bn2hex(bn.get()) : nullptr;
    std::string out = text ? text : "";
    OPENSSL_free(text);
    return out;
}

}  // namespace

std::string_view to_string(OcspBehaviour behaviour) { return name_of(behaviour_names, behaviour); }
std::optional<OcspBehaviour> parse_ocsp_behaviour(std::string_view name) { return value_of(behaviour_names, name); }

OcspResponder::OcspResponder(const CaStore& cas, const RevocationRegistry& revocations, const MirrorCaRegistry* mirrors)
    : cas_(cas), revocations_(revocations), mirrors_(mirrors), responder_key_(generate_key(KeyType::ec_p256)) {}

const X509* OcspResponder::responder_certificate(const CertificateAuthority& ca) const {
    std::lock_guard lock(mutex_);
    X509Ptr& slot = responder_certs_[ca.short_name];
    if (!slot) {
        CertificateFields fields;
        fields.common_name = ca.short_name + " OCSP responder";
        fields.organization = "tlsfault lab";
        const std::int64_t now = std::time(nullptr);
        fields.not_before = now - 2 * 86400;
        fields.not_after = now + 365 * 86400;
        fields.key_usage = ku_digital_signature;
        fields.extended_key_usage = {ExtendedKeyUsage::ocsp_signing};
        fields.ocsp_no_check = true;
        slot = build_certificate(fields, responder_key_.get(), ca.cert.get(), ca.key.get(), EVP_sha256());
    }
    return slot.get();
}

std::shared_ptr<const CertificateAuthority> OcspResponder::issuer_of(OCSP_CERTID* id) const {
    ASN1_OBJECT* md_oid = nullptr;
    OCSP_id_get0_info(nullptr, &md_oid, nullptr, nullptr, id);
    const EVP_MD* md = md_oid ? EVP_get_digestbyobj(md_oid) : nullptr;
    if (!md) return nullptr;
    // The lab CAs live as long as the responder: shared without ownership, like the mirrored ones.
    std::vector<std::shared_ptr<const CertificateAuthority>> candidates;
    for (const CertificateAuthority* ca : cas_.all()) candidates.emplace_back(std::shared_ptr<const CertificateAuthority>(), ca);
    if (mirrors_)
        for (auto& ca : mirrors_->all()) candidates.push_back(std::move(ca));
    for (const auto& ca : candidates) {
        OcspCertIdPtr ca_id(OCSP_cert_id_new(md, X509_get_subject_name(ca->cert.get()), X509_get0_pubkey_bitstr(ca->cert.get()), nullptr));
        if (ca_id && OCSP_id_issuer_cmp(ca_id.get(), id) == 0) return ca;
    }
    return nullptr;
}

std::string OcspResponder::answer(const std::vector<OCSP_CERTID*>& ids, const OcspOptions& options, OCSP_REQUEST* request,
                                  OcspSummary* served) const {
    if (auto status = bodyless_status(options.behaviour)) {
        if (served) *served = {*status, -1, ids.empty() ? "" : id_serial_hex(ids.front())};
        return status_only(*status);
    }
    const std::int64_t now = std::time(nullptr);
    Asn1TimePtr this_update(ASN1_TIME_set(nullptr, static_cast<time_t>(options.expired ? now - 8 * 86400 : now - 3600)));
    Asn1TimePtr next_update(ASN1_TIME_set(nullptr, static_cast<time_t>(options.expired ? now - 86400 : now + 7 * 86400)));
    OcspBasicPtr basic(OCSP_BASICRESP_new());
    std::shared_ptr<const CertificateAuthority> signer_ca;
    for (OCSP_CERTID* id : ids) {
        std::shared_ptr<const CertificateAuthority> ca = issuer_of(id);
        if (!signer_ca) signer_ca = ca;
        const std::string serial = id_serial_hex(id);
        int status = V_OCSP_CERTSTATUS_GOOD, reason = -1;
        std::int64_t revoked_at = now - 3600;
        switch (options.behaviour) {
        case OcspBehaviour::good: break;
        case OcspBehaviour::unknown: status = V_OCSP_CERTSTATUS_UNKNOWN; break;
        case OcspBehaviour::revoked:
            status = V_OCSP_CERTSTATUS_REVOKED;
            reason = options.revocation_reason;
            break;
        default:  // truthful
            if (!ca) {
                status = V_OCSP_CERTSTATUS_UNKNOWN;
                break;
            }
            for (const auto& entry : revocations_.entries_for(ca->short_name)) {
                if (entry.serial_hex != serial) continue;
                status = V_OCSP_CERTSTATUS_REVOKED;
                reason = entry.reason;
                revoked_at = entry.revoked_at;
            }
        }
        Asn1TimePtr revocation_time(ASN1_TIME_set(nullptr, static_cast<time_t>(revoked_at)));
        if (!OCSP_basic_add1_status(basic.get(), id, status, reason, status == V_OCSP_CERTSTATUS_REVOKED ? revocation_time.get() : nullptr,
                                    this_update.get(), next_update.get()))
            throw_openssl_error("cannot add an OCSP single response");
        if (served && served->serial_hex.empty()) *served = {OCSP_RESPONSE_STATUS_SUCCESSFUL, status, serial};
    }
    if (request) OCSP_copy_nonce(basic.get(), request);
    if (!signer_ca)
        signer_ca = std::shared_ptr<const CertificateAuthority>(std::shared_ptr<const CertificateAuthority>(), &cas_.intermediate());
    X509* signer_cert = signer_ca->cert.get();
    EVP_PKEY* signer_key = signer_ca->key.get();
    unsigned long flags = OCSP_NOCERTS;
    X509Ptr impostor;
    if (options.delegated_responder) {
        signer_cert = const_cast<X509*>(responder_certificate(*signer_ca));
        signer_key = responder_key_.get();
        flags = 0;  // the client needs the responder certificate to check its EKU and issuer
    } else if (options.wrong_key) {
        // Same name as the CA, another key: the responder ID matches, the signature does not.
        impostor.reset(X509_dup(signer_ca->cert.get()));
        if (!impostor || !X509_set_pubkey(impostor.get(), responder_key_.get()) ||
            !X509_sign(impostor.get(), responder_key_.get(), EVP_sha256()))
            throw_openssl_error("cannot make the impostor OCSP signer");
        signer_cert = impostor.get();
        signer_key = responder_key_.get();
    }
    if (!OCSP_basic_sign(basic.get(), signer_cert, signer_key, EVP_sha256(), nullptr, flags))
        throw_openssl_error("cannot sign an OCSP response");
    OcspResponsePtr response(OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic.get()));
    return response_der(response.get());
}

std::string OcspResponder::respond(std::string_view request_der, const OcspOptions& options, OcspSummary* served) const {
    const auto* data = reinterpret_cast<const unsigned char*>(request_der.data());
    OcspRequestPtr request(d2i_OCSP_REQUEST(nullptr, &data, static_cast<long>(request_der.size())));
    ERR_clear_error();
    std::vector<OCSP_CERTID*> ids;
    for (int i = 0; request && i < OCSP_request_onereq_count(request.get()); ++i)
        ids.push_back(OCSP_onereq_get0_id(OCSP_request_onereq_get0(request.get(), i)));
    if (ids.empty()) {
        if (served) *served = {OCSP_RESPONSE_STATUS_MALFORMEDREQUEST, -1, ""};
        return status_only(OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
    }
    return answer(ids, options, request.get(), served);
}

std::string OcspResponder::staple(const IssuedCertificate& cert, const OcspOptions& options) const {
    const X509* issuer = cert.leaf.get();  // a self-signed leaf is its own issuer
    for (const CertificateAuthority* ca : cas_.all())
        if (X509_check_issued(ca->cert.get(), cert.leaf.get()) == X509_V_OK) issuer = ca->cert.get();
    std::vector<std::shared_ptr<const CertificateAuthority>> mirrored;  // kept alive while `issuer` points into one
    if (mirrors_) mirrored = mirrors_->all();
    for (const auto& ca : mirrored)
        if (X509_check_issued(ca->cert.get(), cert.leaf.get()) == X509_V_OK) issuer = ca->cert.get();
    OcspCertIdPtr id(OCSP_cert_to_id(EVP_sha1(), cert.leaf.get(), issuer));
    if (!id) throw_openssl_error("cannot make an OCSP certificate ID for " + cert.host);
    return answer({id.get()}, options, nullptr, nullptr);
}

OcspSummary summarize_ocsp_response(std::string_view der) {
    OcspSummary summary;
    const auto* data = reinterpret_cast<const unsigned char*>(der.data());
    OcspResponsePtr response(d2i_OCSP_RESPONSE(nullptr, &data, static_cast<long>(der.size())));
    ERR_clear_error();
    if (!response) return summary;
    summary.response_status = OCSP_response_status(response.get());
    OcspBasicPtr basic(OCSP_response_get1_basic(response.get()));
    ERR_clear_error();
    if (!basic || OCSP_resp_count(basic.get()) < 1) return summary;
    OCSP_SINGLERESP* single = OCSP_resp_get0(basic.get(), 0);
    int reason = 0;
    summary.cert_status = OCSP_single_get0_status(single, &reason, nullptr, nullptr, nullptr);
    summary.serial_hex = id_serial_hex(const_cast<OCSP_CERTID*>(OCSP_SINGLERESP_get0_id(single)));
    return summary;
}

}  // namespace tlsfault::certgen
