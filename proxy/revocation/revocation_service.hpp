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
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace tlsfault::proxy {

struct RevocationAnswer {
    unsigned status = 200;
    std::string content_type = "text/plain";
    std::string body;
    bool hang = false;                   ///< blackhole: never answer
    std::chrono::milliseconds delay{0};  ///< slow: answer after this
    std::string answered;                ///< for the event log: "good", "revoked", "crl 1 entry", "404", ...
    std::string serial;                  ///< the serial an OCSP request asked about
};

class RevocationService {
public:
    explicit RevocationService(certgen::LabPki& pki);

    /// The answer to `request` (`body`: the POSTed OCSP request, if any). Never throws: a request
    /// it cannot use gets malformedRequest or 404, and an answer certgen fails to build (OpenSSL
    /// refusing to sign) a 500 whose body and `answered` give certgen's reason.
    RevocationAnswer answer(const RevocationRequest& request, std::string_view body) const;

    /// Remembers that connection `conn` from `client_ip` was shown a certificate, so that a later
    /// revocation fetch can be linked to it. Bounded: the oldest records go first.
    void certificate_shown(std::uint64_t conn, const std::string& client_ip, const std::string& issuer, const std::string& serial_hex);
    /// The connection a fetch is about: by serial (OCSP about a leaf), else the latest
    /// connection from the same client IP shown a certificate of that CA, or (for the root: a
    /// CRL or OCSP about a lab intermediate) of a lab intermediate; 0 when none.
    std::uint64_t linked_connection(const std::string& serial_hex, const std::string& client_ip, const std::string& issuer) const;

    /// A fetch linked to `conn` is being served (read, held, answered) until fetch_ended.
    /// conn 0 (linked to nothing) is ignored.
    void fetch_started(std::uint64_t conn);
    void fetch_ended(std::uint64_t conn);
    /// True while a fetch linked to `conn` is being served: that connection's handshake
    /// deadline waits for it (handshake_awaiting_revocation). Thread-safe.
    bool fetch_in_flight(std::uint64_t conn) const;

    /// The base URL the lab certificates name (--revocation-url, or the listener's address).
    std::string revocation_url() const { return pki_.minter().options().revocation_url; }

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
    RevocationAnswer build_answer(const RevocationRequest& request, std::string_view body) const;  ///< throws CertgenError
    RevocationAnswer crl(const certgen::CertificateAuthority& ca, const RevocationRequest& request) const;
    RevocationAnswer ocsp(const RevocationRequest& request, std::string_view body) const;

    certgen::LabPki& pki_;
    certgen::OcspResponder ocsp_;
    EVP_PKEY* wrong_key_;  ///< signs the wrong-key CRLs; owned by the lab's key pool
    mutable std::mutex mutex_;
    std::deque<Shown> shown_;
    std::map<std::uint64_t, int> in_flight_;  ///< conn -> fetches being served
    mutable LinkedFetches fetches_;
};

}  // namespace tlsfault::proxy
