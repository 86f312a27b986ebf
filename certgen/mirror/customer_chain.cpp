#include "certgen/mirror/customer_chain.hpp"

#include "certgen/certgen_error.hpp"
#include "certgen/pem_io.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>

namespace tlsfault::certgen {
namespace {

std::vector<X509Ptr> parse_pem_certificates(std::string_view bytes) {
    std::vector<X509Ptr> out;
    BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
    while (bio) {
        X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
        if (!cert) break;
        out.emplace_back(cert);
    }
    ERR_clear_error();  // the end of the bundle reads as "no start line"
    return out;
}

X509Ptr parse_der_certificate(std::string_view bytes) {
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    X509Ptr cert(d2i_X509(nullptr, &data, static_cast<long>(bytes.size())));
    ERR_clear_error();
    return cert;
}

// X509_check_issued compares names and, when present, AKI/SKI: the same test clients use.
bool issued_by(const X509* cert, const X509* issuer) {
    return cert != issuer && X509_check_issued(const_cast<X509*>(issuer), const_cast<X509*>(cert)) == X509_V_OK;
}

std::string describe(const X509* cert) { return "'" + subject_line(cert) + "'"; }

}  // namespace

std::int64_t epoch_seconds(const ASN1_TIME* time) {
    std::tm tm{};
    if (!ASN1_TIME_to_tm(time, &tm)) throw_openssl_error("cannot read a certificate time");
    return static_cast<std::int64_t>(timegm(&tm));
}

bool is_self_issued(const X509* cert) { return X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)) == 0; }

std::vector<X509Ptr> parse_certificates(std::string_view bytes, const std::string& origin) {
    if (bytes.find("-----BEGIN") != std::string_view::npos) {
        auto certs = parse_pem_certificates(bytes);
        if (certs.empty())
            throw CertgenError(origin + ": no PEM CERTIFICATE block in this file (a key or CSR?); give the server's certificate chain");
        return certs;
    }
    if (X509Ptr cert = parse_der_certificate(bytes)) {
        std::vector<X509Ptr> out;
        out.push_back(std::move(cert));
        return out;
    }
    throw CertgenError(origin + ": neither PEM nor a DER certificate; export the chain as PEM (Base-64 .cer) or DER .cer");
}

std::vector<X509Ptr> order_chain(std::vector<X509Ptr> certs, const std::string& origin) {
    if (certs.empty()) throw CertgenError(origin + ": no certificate");
    // The leaf: no other certificate of the file was issued by it.
    std::vector<std::size_t> leaves;
    for (std::size_t i = 0; i < certs.size(); ++i) {
        bool issues_another = std::any_of(certs.begin(), certs.end(), [&](const X509Ptr& c) { return issued_by(c.get(), certs[i].get()); });
        if (!issues_another) leaves.push_back(i);
    }
    if (leaves.size() != 1)
        throw CertgenError(
            origin + ": holds " + std::to_string(leaves.size()) + " certificates that issue none of the others (" +
            (leaves.empty() ? std::string("a loop") : describe(certs[leaves[0]].get()) + ", " + describe(certs[leaves[1]].get())) +
            "); give one server's chain");
    std::vector<X509Ptr> ordered;
    ordered.push_back(std::move(certs[leaves[0]]));
    certs.erase(certs.begin() + static_cast<std::ptrdiff_t>(leaves[0]));
    while (!certs.empty() && !is_self_issued(ordered.back().get())) {
        auto next = std::find_if(certs.begin(), certs.end(), [&](const X509Ptr& c) { return issued_by(ordered.back().get(), c.get()); });
        if (next == certs.end()) break;
        ordered.push_back(std::move(*next));
        certs.erase(next);
    }
    if (!certs.empty())
        throw CertgenError(origin + ": " + describe(certs.front().get()) + " is not in the chain of " + describe(ordered.front().get()) +
                           "; remove it from the file");
    return ordered;
}

std::vector<X509Ptr> read_customer_chain(const std::filesystem::path& path) {
    return order_chain(parse_certificates(read_file(path), path.string()), path.string());
}

KeyType key_type_of_certificate(const X509* cert, const std::string& origin) {
    EVP_PKEY* key = X509_get0_pubkey(cert);
    std::optional<KeyType> type = key ? key_type_of(key) : std::nullopt;
    if (!type) {
        std::string what = key ? std::string(EVP_PKEY_get0_type_name(key) ? EVP_PKEY_get0_type_name(key) : "?") + " " +
                                     std::to_string(EVP_PKEY_get_bits(key)) + " bits"
                               : "an unreadable key";
        throw CertgenError(origin + ": " + describe(cert) + " has " + what +
                           "; tlsfault mirrors RSA 1024-4096, EC P-256/P-384 and Ed25519 keys");
    }
    return *type;
}

Digest digest_of_certificate(const X509* cert, const std::string& origin) {
    int md_nid = NID_undef, pk_nid = NID_undef;
    if (!X509_get_signature_info(const_cast<X509*>(cert), &md_nid, &pk_nid, nullptr, nullptr))
        throw CertgenError(origin + ": " + describe(cert) + ": cannot read its signature algorithm");
    switch (md_nid) {
    case NID_sha1: return Digest::sha1;
    case NID_sha256: return Digest::sha256;
    case NID_sha384: return Digest::sha384;
    case NID_sha512: return Digest::sha512;
    case NID_undef:
        if (pk_nid == NID_ED25519) return Digest::sha256;
        break;
    default: break;
    }
    throw CertgenError(origin + ": " + describe(cert) + " is signed with " + OBJ_nid2ln(md_nid) +
                       "; tlsfault mirrors SHA-1, SHA-256, SHA-384 and SHA-512 signatures");
}

}  // namespace tlsfault::certgen
