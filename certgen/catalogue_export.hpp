// Writes lab certificates as files users can install on their own servers (IIS, Exchange,
// nginx): one folder per host and profile, the CA material, CRLs and an index.
#pragma once

#include "certgen/ca_store.hpp"
#include "certgen/cert_profile.hpp"
#include "certgen/issued_certificate.hpp"
#include "certgen/leaf_minter.hpp"
#include "certgen/pem_io.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace tlsfault::certgen {

struct CatalogueExportRequest {
    std::filesystem::path out_dir;
    std::vector<std::string> hosts;  ///< each must be a DNS name or IP literal
    std::vector<const CertProfile*> profiles;
    std::string p12_password = "tlsfault";
    Pkcs12Encryption p12_encryption = Pkcs12Encryption::modern;  ///< of every bundle.p12
};

struct CatalogueExportResult {
    std::size_t certificates = 0;
    std::size_t files = 0;
};

/// Mints every (host, profile) pair first, then writes (each file through temp + rename):
///   DIR/<host>/<profile>/{cert.pem,key.pem,chain.pem,fullchain.pem,cert.der,bundle.p12}
///   DIR/ca/{root,intermediate,rogue-root}.{pem,der}
///   DIR/ca/crl/{root,intermediate,rogue-root}.crl (DER) and .crl.pem; intermediate-stale.crl
///   DIR/index.md
/// Throws CertgenError before writing anything when a host or profile cannot be minted.
CatalogueExportResult export_catalogue(const CatalogueExportRequest& request, const LeafMinter& minter,
                                       const RevocationRegistry& revocations);

/// Writes one certificate's files into `dir` (created): key.pem (0600), cert.pem, chain.pem,
/// fullchain.pem, cert.der, bundle.p12 (0600, `password`, `encryption`). Returns the number of files.
std::size_t write_certificate_files(const std::filesystem::path& dir, const IssuedCertificate& cert, const std::string& password,
                                    Pkcs12Encryption encryption = Pkcs12Encryption::modern);
/// Creates `dir`; throws CertgenError naming it (and --out) when it cannot.
void make_dir(const std::filesystem::path& dir);

/// The markdown index: one line per profile, what is wrong and what a correct client says.
std::string catalogue_index_markdown(const std::vector<const CertProfile*>& profiles, const std::vector<std::string>& hosts);

}  // namespace tlsfault::certgen
