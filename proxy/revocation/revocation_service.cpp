#include "proxy/revocation/revocation_service.hpp"

#include "certgen/crl_builder.hpp"
#include "certgen/pem_io.hpp"

#include <openssl/ocsp.h>

namespace tlsfault::proxy {
namespace {

constexpr std::size_t max_shown = 16384;

RevocationAnswer http_error(unsigned status, std::string message) {
    RevocationAnswer answer;
    answer.status = status;
    answer.body = std::move(message) + "\n";
    answer.answered = std::to_string(status);
    return answer;
}

std::string_view cert_status_name(int status) {
    switch (status) {
    case V_OCSP_CERTSTATUS_GOOD: return "good";
    case V_OCSP_CERTSTATUS_REVOKED: return "revoked";
    case V_OCSP_CERTSTATUS_UNKNOWN: return "unknown";
    default: return "none";
    }
}

std::string_view response_status_name(int status) {
    switch (status) {
    case OCSP_RESPONSE_STATUS_SUCCESSFUL: return "successful";
    case OCSP_RESPONSE_STATUS_MALFORMEDREQUEST: return "malformedRequest";
    case OCSP_RESPONSE_STATUS_INTERNALERROR: return "internalError";
    case OCSP_RESPONSE_STATUS_TRYLATER: return "tryLater";
    case OCSP_RESPONSE_STATUS_SIGREQUIRED: return "sigRequired";
    case OCSP_RESPONSE_STATUS_UNAUTHORIZED: return "unauthorized";
    default: return "unparsable";
    }
}

certgen::OcspOptions ocsp_options(RevocationMode mode) {
    using B = certgen::OcspBehaviour;
    certgen::OcspOptions options;
    switch (mode) {
    case RevocationMode::good: options.behaviour = B::good; break;
    case RevocationMode::revoked: options.behaviour = B::revoked; break;
    case RevocationMode::unknown: options.behaviour = B::unknown; break;
    case RevocationMode::try_later: options.behaviour = B::try_later; break;
    case RevocationMode::unauthorized: options.behaviour = B::unauthorized; break;
    case RevocationMode::malformed_request: options.behaviour = B::malformed_request; break;
    case RevocationMode::internal_error: options.behaviour = B::internal_error; break;
    case RevocationMode::stale: options.expired = true; break;
    case RevocationMode::wrong_key: options.wrong_key = true; break;
    case RevocationMode::delegated: options.delegated_responder = true; break;
    default: break;
    }
    return options;
}

}  // namespace

// The wrong-key signer is taken from the key pool now: the pool may read (or generate and write)
// a key file, and a bad file must stop the start, not throw inside a fetch.
RevocationService::RevocationService(certgen::LabPki& pki)
    : pki_(pki), ocsp_(pki.cas(), pki.revocations(), &pki.mirror_cas()), wrong_key_(pki.keys().key(certgen::KeyType::ec_p256)) {}

std::shared_ptr<const certgen::CertificateAuthority> RevocationService::find_ca(const std::string& name) const {
    for (const certgen::CertificateAuthority* ca : pki_.cas().all())
        if (ca->short_name == name)
            return std::shared_ptr<const certgen::CertificateAuthority>(std::shared_ptr<const certgen::CertificateAuthority>(), ca);
    return pki_.mirror_cas().find(name);  // a lab copy of a customer CA (certificate: {mirror: ...})
}

RevocationAnswer RevocationService::answer(const RevocationRequest& request, std::string_view body) const {
    // certgen throws when OpenSSL refuses to build or sign (out of memory, a mirrored CA whose key
    // cannot sign with the digest asked for): that fetch gets a 500 saying so, and the listener's
    // catch-all, meant for bugs, never sees it.
    try {
        return build_answer(request, body);
    } catch (const std::exception& e) {
        RevocationAnswer failed = http_error(500, std::string("tlsfault could not build this answer: ") + e.what());
        failed.answered = "500 (tlsfault error: " + std::string(e.what()) + ")";
        return failed;
    }
}

RevocationAnswer RevocationService::build_answer(const RevocationRequest& request, std::string_view body) const {
    // Modes that replace the answer whatever was asked.
    switch (request.mode) {
    case RevocationMode::not_found: return http_error(404, "Not Found (tlsfault revocation mode not-found)");
    case RevocationMode::server_error: return http_error(500, "Internal Server Error (tlsfault revocation mode server-error)");
    case RevocationMode::blackhole: {
        RevocationAnswer answer;
        answer.hang = true;
        answer.answered = "nothing (blackhole)";
        return answer;
    }
    default: break;
    }
    const std::shared_ptr<const certgen::CertificateAuthority> ca = find_ca(request.ca);
    RevocationAnswer answer;
    if (request.resource == RevocationResource::ocsp) {
        answer = ocsp(request, body);
    } else if (!ca) {
        return http_error(404,
                          "no lab CA called '" + request.ca +
                              "' (root, intermediate, intermediate-revoked, intermediate-unreachable, rogue-root, or a mirror-... copy)");
    } else if (request.resource == RevocationResource::ca_der || request.resource == RevocationResource::ca_pem) {
        bool der = request.resource == RevocationResource::ca_der;
        answer.content_type = der ? "application/pkix-cert" : "application/x-pem-file";
        answer.body = der ? certgen::to_der(ca->cert.get()) : certgen::to_pem(ca->cert.get());
        answer.answered = "ca certificate " + ca->short_name;
    } else {
        answer = crl(*ca, request);
    }
    if (request.mode == RevocationMode::slow) answer.delay = request.delay;
    return answer;
}

RevocationAnswer RevocationService::crl(const certgen::CertificateAuthority& ca, const RevocationRequest& request) const {
    certgen::CrlOptions options;
    options.stale = request.mode == RevocationMode::stale;
    if (request.mode == RevocationMode::wrong_key) options.wrong_signing_key = wrong_key_;
    auto entries = pki_.revocations().entries_for(ca.short_name);
    auto crl = certgen::build_crl(ca, entries, options);
    RevocationAnswer answer;
    bool der = request.resource == RevocationResource::crl_der;
    answer.content_type = der ? "application/pkix-crl" : "application/x-pem-file";
    answer.body = der ? certgen::to_der(crl.get()) : certgen::to_pem(crl.get());
    answer.answered = "crl " + std::to_string(entries.size()) + (entries.size() == 1 ? " entry" : " entries");
    if (options.stale) answer.answered += " (stale)";
    if (options.wrong_signing_key) answer.answered += " (wrong key)";
    return answer;
}

RevocationAnswer RevocationService::ocsp(const RevocationRequest& request, std::string_view body) const {
    std::string_view der = request.ocsp_get_payload.empty() ? body : std::string_view(request.ocsp_get_payload);
    certgen::OcspSummary served;
    RevocationAnswer answer;
    answer.content_type = "application/ocsp-response";
    answer.body = ocsp_.respond(der, ocsp_options(request.mode), &served);
    answer.serial = served.serial_hex;
    answer.answered = served.response_status == OCSP_RESPONSE_STATUS_SUCCESSFUL ? std::string(cert_status_name(served.cert_status))
                                                                                : std::string(response_status_name(served.response_status));
    return answer;
}

void RevocationService::certificate_shown(std::uint64_t conn, const std::string& client_ip, const std::string& issuer,
                                          const std::string& serial_hex) {
    std::lock_guard lock(mutex_);
    shown_.push_back({conn, client_ip, issuer, serial_hex});
    if (shown_.size() > max_shown) shown_.pop_front();
}

std::uint64_t RevocationService::linked_connection(const std::string& serial_hex, const std::string& client_ip,
                                                   const std::string& issuer) const {
    // A client checking the whole chain asks the root about the intermediate it was shown.
    auto shown_under = [&](const Shown& shown) {
        return shown.issuer == issuer || (issuer == "root" && shown.issuer.starts_with("intermediate"));
    };
    std::lock_guard lock(mutex_);
    for (auto it = shown_.rbegin(); it != shown_.rend(); ++it)
        if (!serial_hex.empty() && it->serial_hex == serial_hex) return it->conn;
    for (auto it = shown_.rbegin(); it != shown_.rend(); ++it)
        if (it->client_ip == client_ip && shown_under(*it)) return it->conn;
    return 0;
}

void RevocationService::fetch_started(std::uint64_t conn) {
    if (conn == 0) return;
    std::lock_guard lock(mutex_);
    ++in_flight_[conn];
}

void RevocationService::fetch_ended(std::uint64_t conn) {
    if (conn == 0) return;
    std::lock_guard lock(mutex_);
    if (auto it = in_flight_.find(conn); it != in_flight_.end() && --it->second <= 0) in_flight_.erase(it);
}

bool RevocationService::fetch_in_flight(std::uint64_t conn) const {
    std::lock_guard lock(mutex_);
    return in_flight_.contains(conn);
}

}  // namespace tlsfault::proxy
