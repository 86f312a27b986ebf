// What a person checks on a certificate, as text: validity, subjectAltName, CRL distribution
// points and OCSP URLs. Read once when a leaf is minted (kept in IssuedCertificate), so the
// `certificate` event costs no X.509 parsing per connection.
#pragma once

#include <openssl/x509.h>

#include <string>
#include <vector>

namespace tlsfault::certgen {

/// The fields of a certificate the board and the event log show.
struct ShownFields {
    std::string not_before;  ///< "2026-01-02T03:04:05Z"
    std::string not_after;
    std::vector<std::string> san;        ///< "DNS:expired.tlsfault.test", "IP:127.0.0.1", "URI:…", "email:…", "other"
    std::vector<std::string> crl_urls;   ///< CRL distribution points (URIs)
    std::vector<std::string> ocsp_urls;  ///< authorityInfoAccess OCSP responders
};

/// Reads the fields of `cert` (absent extensions give empty lists).
ShownFields shown_fields(const X509* cert);

/// The same for a certificate just built by the caller, who knows its names: the validity is read
/// from `cert`, the lists are taken as given (`san` in general_name_text's spelling), so no
/// extension is decoded again.
ShownFields shown_fields(const X509* cert, std::vector<std::string> san, std::vector<std::string> crl_urls,
                         std::vector<std::string> ocsp_urls);

}  // namespace tlsfault::certgen
