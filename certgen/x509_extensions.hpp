// The X.509 v3 extensions of a certificate, built without OpenSSL's config-string parser on the
// path a new host takes. What is the same for every certificate of a profile (basicConstraints,
// keyUsage, extKeyUsage, CRL distribution points, authorityInfoAccess, TLS feature) is parsed
// once per thread and then copied; the key identifiers are computed from the key bits directly
// and subjectAltName is assembled from its names. The encoded extensions, their order and their
// criticality are exactly those `X509V3_EXT_nconf_nid` gives for the same text.
#pragma once

#include "certgen/certificate_builder.hpp"

#include <openssl/x509.h>

namespace tlsfault::certgen {

/// Adds the extensions of `fields` to `cert` (version and public key set, no extensions yet).
/// `issuer` null: self-signed (the authority key identifier is the certificate's own). Throws
/// CertgenError when a value cannot be encoded (e.g. a URL with a comma).
void add_extensions(X509* cert, const X509* issuer, const CertificateFields& fields);

}  // namespace tlsfault::certgen
