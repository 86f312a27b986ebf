// The built-in profiles. Each entry says what is wrong, what a correct client says, and the
// exact OpenSSL verification error; tests/unit/certgen checks that OpenSSL agrees.
#include "certgen/catalogue.hpp"

#include "common/did_you_mean.hpp"

#include <openssl/x509_vfy.h>

#include <algorithm>
#include <vector>

namespace tlsfault::certgen {
namespace {

CertProfile profile(std::string name, std::string summary, std::string correct_client, int error) {
    CertProfile p;
    p.name = std::move(name);
    p.summary = std::move(summary);
    p.correct_client = std::move(correct_client);
    p.expected_verify_error = error;
    return p;
}

std::vector<CertProfile> make_catalogue() {
    std::vector<CertProfile> c;

    c.push_back(profile("good", "nothing: lab intermediate, right name, valid dates, full chain",
                        "accepts it once the lab root is trusted (the control case)", X509_V_OK));

    auto& self_signed = c.emplace_back(profile(
        "self-signed", "signed by its own key; no CA vouches for it (the default Exchange/IIS certificate)",
        "rejects: 'self-signed certificate' (OpenSSL 18), .NET 'The remote certificate is invalid according to the validation procedure'",
        X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT));
    self_signed.issuer = IssuerKind::self;
    self_signed.organization = "self-signed";
    // Without keyCertSign OpenSSL sees a self-issued, not self-signed, certificate.
    self_signed.key_usage = ku_digital_signature | ku_key_cert_sign;
    self_signed.crl_urls.clear();
    self_signed.ocsp_urls.clear();

    auto& untrusted = c.emplace_back(profile(
        "untrusted-root", "issued by a root the client does not trust (an intercepting firewall, an enterprise CA not imported)",
        "rejects: 'self-signed certificate in certificate chain' (OpenSSL 19), .NET 'Could not establish trust relationship for the SSL/TLS secure channel'",
        X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN));
    untrusted.issuer = IssuerKind::rogue;

    auto& wrong_host = c.emplace_back(
        profile("wrong-host", "valid, but for another host name than the one the client asked for",
                "rejects: 'certificate subject name does not match target host name' (curl 60), .NET RemoteCertificateNameMismatch",
                X509_V_ERR_HOSTNAME_MISMATCH));
    wrong_host.common_name = "some-other-host.tlsfault.test";
    wrong_host.dns_names = {"some-other-host.tlsfault.test"};

    auto& expired = c.emplace_back(profile("expired", "validity ended 30 days ago",
                                           "rejects: 'certificate has expired' (OpenSSL 10), TLS alert certificate_expired",
                                           X509_V_ERR_CERT_HAS_EXPIRED));
    expired.not_before = TimeBound::days_from_now(-400);
    expired.not_after = TimeBound::days_from_now(-30);

    auto& not_yet = c.emplace_back(profile("not-yet-valid", "validity starts in 30 days (or the client's clock is behind)",
                                           "rejects: 'certificate is not yet valid' (OpenSSL 9)", X509_V_ERR_CERT_NOT_YET_VALID));
    not_yet.not_before = TimeBound::days_from_now(30);
    not_yet.not_after = TimeBound::days_from_now(400);

    auto& missing = c.emplace_back(
        profile("missing-intermediate", "a fine leaf served without its intermediate, and no AIA caIssuers URL to fetch it from",
                "rejects: 'unable to get local issuer certificate' (OpenSSL 20); every client, browsers included",
                X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY));
    missing.chain = ChainKind::leaf_only;

    auto& missing_aia = c.emplace_back(
        profile("missing-intermediate-aia", "served without its intermediate, but with an AIA caIssuers URL that serves it",
                "libraries (OpenSSL, curl, Python, Go) reject with OpenSSL 20; browsers and Windows fetch the intermediate and accept",
                X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY));
    missing_aia.chain = ChainKind::leaf_only;
    missing_aia.ca_issuers_urls = {"{revocation_url}/ca/{issuer}.der"};

    auto& revoked =
        c.emplace_back(profile("revoked", "listed as revoked (keyCompromise) on the intermediate's CRL",
                               "a client that checks revocation rejects: 'certificate revoked' (OpenSSL 23); one that does not, accepts",
                               X509_V_ERR_CERT_REVOKED));
    revoked.revoked = true;
    revoked.verify_needs_crl = true;

    auto& crl_down = c.emplace_back(
        profile("crl-unreachable", "its CRL distribution point and OCSP URL point where nothing answers",
                "a client that requires revocation checks fails: 'unable to get certificate CRL' (OpenSSL 3), WinHTTP CERT_REV_FAILED",
                X509_V_ERR_UNABLE_TO_GET_CRL));
    crl_down.crl_urls = {"{unreachable_url}/crl/{issuer}.crl"};
    crl_down.ocsp_urls = {"{unreachable_url}/ocsp/{issuer}"};
    crl_down.verify_needs_crl = true;

    auto& sha1 = c.emplace_back(profile("sha1-signature", "signed with SHA-1",
                                        "rejects at security level 1 and up: 'CA signature digest algorithm too weak' (OpenSSL 68)",
                                        X509_V_ERR_CA_MD_TOO_WEAK));
    sha1.digest = Digest::sha1;
    sha1.verify_security_level = 1;

    auto& rsa1024 = c.emplace_back(profile("rsa-1024", "a 1024-bit RSA key (80-bit security)",
                                           "rejects at security level 2 (Debian's default): 'EE certificate key too weak' (OpenSSL 66)",
                                           X509_V_ERR_EE_KEY_TOO_SMALL));
    rsa1024.key_type = KeyType::rsa_1024;
    rsa1024.verify_security_level = 2;

    auto& no_san =
        c.emplace_back(profile("no-san", "names the host in the subject CN only, with no subjectAltName",
                               "browsers, Go and .NET reject (name mismatch); OpenSSL-based clients that still fall back to the CN accept",
                               X509_V_ERR_HOSTNAME_MISMATCH));
    no_san.dns_names.clear();
    no_san.verify_never_check_subject = true;

    auto& wrong_eku = c.emplace_back(profile("wrong-eku", "extended key usage is clientAuth only: not for servers",
                                             "rejects: 'unsuitable certificate purpose' (OpenSSL 26)", X509_V_ERR_INVALID_PURPOSE));
    wrong_eku.extended_key_usage = {ExtendedKeyUsage::client_auth};

    auto& leaf_ca = c.emplace_back(
        profile("leaf-is-ca", "the server certificate is itself a CA (basicConstraints CA:TRUE, keyCertSign) with no serverAuth EKU",
                "rejects: 'unsuitable certificate purpose' (OpenSSL 26); Firefox says MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY",
                X509_V_ERR_INVALID_PURPOSE));
    leaf_ca.is_ca = true;
    leaf_ca.path_len = 0;
    leaf_ca.key_usage = ku_key_cert_sign | ku_crl_sign;
    leaf_ca.extended_key_usage.clear();

    auto& wildcard =
        c.emplace_back(profile("wildcard-mismatch", "a wildcard one label too deep: *.<host> does not cover <host> itself",
                               "rejects: name mismatch (OpenSSL 62); a wildcard covers exactly one label", X509_V_ERR_HOSTNAME_MISMATCH));
    wildcard.common_name = "*.{host}";
    wildcard.dns_names = {"*.{host}"};

    auto& long_validity = c.emplace_back(
        profile("long-validity", "valid for 825 days, over the 398-day limit browsers enforce for publicly trusted certificates",
                "OpenSSL-based clients accept; Safari/Apple platforms reject (validity too long) when the root is public", X509_V_OK));
    long_validity.not_after = TimeBound::days_from_now(825);

    auto& cmg = c.emplace_back(profile(
        "cmg-secure-failure", "field case 4c: wrong common name, issued by an untrusted root, and a CRL nobody can reach, all at once",
        "WinHTTP 12175 ERROR_WINHTTP_SECURE_FAILURE with CERT_CN_INVALID | INVALID_CA | CERT_REV_FAILED; OpenSSL reports 19 first",
        X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN));
    cmg.issuer = IssuerKind::rogue;
    cmg.common_name = "cmg-connector.internal.contoso.com";
    cmg.dns_names.clear();
    cmg.crl_urls = {"{unreachable_url}/crl/{issuer}.crl"};
    cmg.ocsp_urls.clear();

    auto& client = c.emplace_back(profile(
        "client", "a clientAuth certificate from the lab intermediate, for mutual-TLS cases",
        "a server that trusts the lab root accepts it as a client certificate; as a server certificate it is unsuitable", X509_V_OK));
    client.common_name = "{host}";  // names the --host it was made for (no DNS SAN: it is no server's)
    client.dns_names.clear();
    client.extended_key_usage = {ExtendedKeyUsage::client_auth};
    client.verify_as_client = true;

    return c;
}

}  // namespace

std::span<const CertProfile> builtin_profiles() {
    static const std::vector<CertProfile> catalogue = make_catalogue();
    return catalogue;
}

const CertProfile* find_profile(std::string_view name) {
    for (const auto& p : builtin_profiles())
        if (p.name == name) return &p;
    return nullptr;
}

std::string closest_profile_name(std::string_view name) {
    std::vector<std::string_view> names;
    for (const auto& p : builtin_profiles()) names.push_back(p.name);
    return closest_word(name, names);
}

}  // namespace tlsfault::certgen
