// Runs OpenSSL's X509_verify_cert on a minted leaf the way a client would: only the lab root
// trusted, the served chain as untrusted certificates, the host name set.
#pragma once

#include "certgen/ca_store.hpp"
#include "certgen/issued_certificate.hpp"

#include <string>
#include <vector>

namespace tlsfault::test {

struct VerifySetup {
    std::string host;             ///< empty: no host name check
    std::vector<X509_CRL*> crls;  ///< CRL checking (leaf only) when not empty, or when crl_check
    bool crl_check = false;
    int security_level = -1;           ///< X509_VERIFY_PARAM auth level; -1 leaves it unset
    bool never_check_subject = false;  ///< no CN fallback for host names
    bool as_client = false;            ///< sslclient purpose instead of sslserver
};

/// The first verification error (X509_V_OK when the chain verifies).
int verify_first_error(const certgen::IssuedCertificate& cert, const certgen::CaStore& cas, const VerifySetup& setup);

/// Every error OpenSSL reports when told to go on after each one (as WinHTTP collects its flags).
std::vector<int> verify_all_errors(const certgen::IssuedCertificate& cert, const certgen::CaStore& cas, const VerifySetup& setup);

/// "X509_V_ERR 62 (hostname mismatch)" for readable failure messages.
std::string describe_verify_error(int error);

}  // namespace tlsfault::test
