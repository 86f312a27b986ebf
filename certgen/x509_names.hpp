// Reading the names an X.509 certificate carries, as text, with OpenSSL 3's non-deprecated
// accessors: subjectAltName, CRL distribution points and authorityInfoAccess. One reader for
// the fields the event log and the board show (shown_fields) and for the mirror's chain report.
#pragma once

#include <openssl/x509v3.h>

#include <string>
#include <vector>

namespace tlsfault::certgen {

/// A GENERAL_NAME as text: "DNS:name", "IP:addr" ("IP:(5 bytes)" when malformed), "URI:…",
/// "email:…", or "other" for the kinds not spelled out (otherName, directoryName, …).
std::string general_name_text(const GENERAL_NAME* name);

/// An IP literal ("::0:1") as general_name_text spells the iPAddress it encodes ("IP:::1").
std::string ip_name_text(const std::string& literal);

/// The subjectAltName entries, in order, as general_name_text; empty when there is none.
std::vector<std::string> subject_alt_names(const X509* cert);

/// The names of every CRL distribution point given as a fullName, as general_name_text.
std::vector<std::string> crl_distribution_names(const X509* cert);

/// The authorityInfoAccess locations for `method` (NID_ad_OCSP, NID_ad_ca_issuers), as general_name_text.
std::vector<std::string> access_locations(const X509* cert, int method);

/// The "URI:" entries of `names`, without the prefix ("URI:http://x/a.crl" -> "http://x/a.crl").
std::vector<std::string> uris_only(const std::vector<std::string>& names);

}  // namespace tlsfault::certgen
