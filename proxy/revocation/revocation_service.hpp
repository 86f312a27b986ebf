// The answers behind the revocation listener, without sockets: CRLs, CA certificates and OCSP
// responses for each path and mode, and which TLS connection a fetch is about.
#pragma once

#include "proxy/core/linked_fetches.hpp"
#include "proxy/revocation/revocation_request.hpp"

#include "certgen/lab_pki.hpp"
#include "certgen/ocsp_responder.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>

namespace tlsfault::proxy {

struct RevocationAnswer {
    unsigned status = 200;
    std::string content_type = "text/plain";
    std::string body;
    bool hang = false;                        ///< blackhole: never answer
    std::chrono::milliseconds delay{0};       ///< slow: answer after this
    std::string answered;                     ///< for the event log: "good", "revoked", "crl 1 entry", "404", ...
    std::string serial;                       ///< the serial an OCSP request asked about
};

class RevocationService {
public:
    explicit RevocationService(certgen::LabPki& pki);

    /// The answer to `request` (`body`: the POSTed OCSP request, if any). Never throws for bad
    /// input: a request it cannot use gets malformedRequest or 404.
    RevocationAnswer answer(const RevocationRequest& request, std::string_view body) const;

    /// Remembers that connection `conn` from `client_ip` was shown a certificate, so that a later
    /// revocation fetch can be linked to it. Bounded: the oldest records go first.
    void certificate_shown(std::uint64_t conn, const std::string& client_ip, const std::string& issuer,
                           const std::string& serial_hex);
    /// The connection a fetch is about: by serial (OCSP), else the latest connection from the
    /// same client IP shown a certificate of that CA; 0 when none.
    std::uint64_t linked_connection(const std::string& serial_hex, const std::string& client_ip, const std::string& issuer) const;

    const certgen::OcspResponder& ocsp() const { return ocsp_; }

    /// The fetches linked to each connection, for judging `expect` (thread-safe).
    LinkedFetches& fetches() const { return fetches_; }

private:
    struct Shown {
        std::uint64_t conn;
        std::string client_ip;
        std::string issuer;
        std::string serial_hex;
    };
    std::shared_ptr<const certgen::CertificateAuthority> find_ca(const std::string& name) const;
    RevocationAnswer crl(const certgen::CertificateAuthority& ca, const RevocationRequest& request) const;
    RevocationAnswer ocsp(const RevocationRequest& request, std::string_view body) const;

    certgen::LabPki& pki_;
    certgen::OcspResponder ocsp_;
    mutable std::mutex mutex_;
    std::deque<Shown> shown_;
    mutable LinkedFetches fetches_;
};

}  // namespace tlsfault::proxy
