// Per-connection SSL settings from a rule. OpenSSL's per-SSL setters are used throughout so a
// rule never changes the shared server context other connections use.
#include "proxy/scenario/handshake_actions.hpp"

#include "proxy/tls/server_context.hpp"

#include "scenarios/model/client_cert_alerts.hpp"

#include <openssl/x509.h>

#include <algorithm>
#include <openssl/x509_vfy.h>

namespace tlsfault::proxy {
namespace {

namespace model = scenarios;

/// The certificate a chain entry or verify_ca names; nullptr (with `error`) when unusable. A PEM
/// file was read and parsed when the scenario loaded: nothing here touches the file system.
certgen::X509Ptr named_certificate(const model::ChainCertificate& which, const certgen::CaStore& cas, std::string& error) {
    switch (which.source) {
    case model::ChainCertificate::Source::lab_root: return certgen::share(cas.root().cert.get());
    case model::ChainCertificate::Source::lab_intermediate: return certgen::share(cas.intermediate().cert.get());
    case model::ChainCertificate::Source::rogue_root: return certgen::share(cas.rogue_root().cert.get());
    case model::ChainCertificate::Source::file: break;
    }
    if (!which.certificate) error = which.file.string() + ": the certificate was not loaded with the scenario";
    return certgen::share(which.certificate.get());
}

int check_index() {
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

/// Records a failed client certificate; lets the handshake go on when the action says "continue",
/// else ends it with the action's alert.
int verify_client(int preverify_ok, X509_STORE_CTX* ctx) {
    auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(ctx, SSL_get_ex_data_X509_STORE_CTX_idx()));
    auto* check = ssl ? static_cast<ClientCertCheck*>(SSL_get_ex_data(ssl, check_index())) : nullptr;
    if (check) check->presented = true;  // OpenSSL verifies only a certificate that was sent
    if (preverify_ok || !check || !check->action) return preverify_ok;
    const bool expired = X509_STORE_CTX_get_error(ctx) == X509_V_ERR_CERT_HAS_EXPIRED;
    check->failed = true;
    check->expired = check->expired || expired;
    const auto& alert = expired ? check->action->on_expired : check->action->on_untrusted;
    if (!alert) return 1;
    // OpenSSL derives the alert from the verification error (ssl_x509err2alert): set the error
    // that maps to the rule's alert. The loader accepted only alerts that have one.
    if (auto error = model::verify_error_for(*alert)) X509_STORE_CTX_set_error(ctx, *error);
    check->alert = alert;
    return 0;
}

int openssl_version(model::TlsVersion v) {
    switch (v) {
    case model::TlsVersion::tls1_0: return TLS1_VERSION;
    case model::TlsVersion::tls1_1: return TLS1_1_VERSION;
    case model::TlsVersion::tls1_2: return TLS1_2_VERSION;
    case model::TlsVersion::tls1_3: return TLS1_3_VERSION;
    }
    return 0;
}

std::string joined(const std::vector<std::string>& names, char separator) {
    std::string text;
    for (const auto& n : names) text += (text.empty() ? "" : std::string(1, separator)) + n;
    return text;
}

}  // namespace

bool apply_chain(SSL* ssl, const certgen::IssuedCertificate& cert, const model::ChainAction& chain, const certgen::CaStore& cas,
                 std::string& error) {
    using Kind = model::ChainAction::Kind;
    SSL_set_mode(ssl, SSL_MODE_NO_AUTO_CHAIN);  // send exactly what the rule says, nothing OpenSSL builds
    if (chain.kind == Kind::full) return true;
    SSL_clear_chain_certs(ssl);
    std::vector<certgen::X509Ptr> certs;
    if (chain.kind == Kind::reversed || chain.kind == Kind::extra)
        for (const auto& c : cert.chain) certs.push_back(certgen::share(c.get()));
    if (chain.kind == Kind::reversed) std::reverse(certs.begin(), certs.end());  // the leaf stays first: OpenSSL sends it so
    if (chain.kind == Kind::extra || chain.kind == Kind::custom)
        for (const auto& which : chain.certificates) {
            auto c = named_certificate(which, cas, error);
            if (!c) return false;
            certs.push_back(std::move(c));
        }
    for (const auto& c : certs)
        if (SSL_add1_chain_cert(ssl, c.get()) != 1) {
            error = "OpenSSL refused a chain certificate: " + drain_openssl_errors();
            return false;
        }
    return true;
}

bool apply_tls_settings(SSL* ssl, const model::TlsAction& tls, std::string& error) {
    ERR_clear_error();
    bool ok = true;
    if (tls.security_level) SSL_set_security_level(ssl, *tls.security_level);
    if (tls.min_version) ok = ok && SSL_set_min_proto_version(ssl, openssl_version(*tls.min_version)) == 1;
    if (tls.max_version) ok = ok && SSL_set_max_proto_version(ssl, openssl_version(*tls.max_version)) == 1;
    if (!tls.ciphers.empty()) ok = ok && SSL_set_cipher_list(ssl, joined(tls.ciphers, ':').c_str()) == 1;
    if (!tls.ciphersuites.empty()) ok = ok && SSL_set_ciphersuites(ssl, joined(tls.ciphersuites, ':').c_str()) == 1;
    if (!tls.groups.empty()) ok = ok && SSL_set1_groups_list(ssl, joined(tls.groups, ':').c_str()) == 1;
    if (!ok) error = "OpenSSL refused the rule's tls settings: " + drain_openssl_errors();
    return ok;
}

bool request_client_certificate(SSL* ssl, const model::ClientCertAction& action, const certgen::CaStore& cas, ClientCertCheck& check,
                                std::string& error) {
    check.action = &action;
    auto anchor = named_certificate(action.verify_ca, cas, error);
    if (!anchor) return false;
    X509_STORE* store = X509_STORE_new();
    X509_STORE_add_cert(store, anchor.get());
    // Lab client certificates are issued by the intermediate: let the path reach the root.
    if (action.verify_ca.source == model::ChainCertificate::Source::lab_root) X509_STORE_add_cert(store, cas.intermediate().cert.get());
    SSL_set0_verify_cert_store(ssl, store);

    STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
    if (action.ca_list == model::ClientCertAction::CaList::real) {
        sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(anchor.get())));
    } else if (action.ca_list == model::ClientCertAction::CaList::bogus) {
        X509_NAME* bogus = X509_NAME_new();
        X509_NAME_add_entry_by_txt(bogus, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("tlsfault bogus client CA (nobody has it)"), -1, -1, 0);
        sk_X509_NAME_push(names, bogus);
    }
    SSL_set0_CA_list(ssl, names);

    SSL_set_ex_data(ssl, check_index(), &check);
    int mode = SSL_VERIFY_PEER;
    if (action.on_missing) mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    SSL_set_verify(ssl, mode, verify_client);
    return true;
}

}  // namespace tlsfault::proxy
