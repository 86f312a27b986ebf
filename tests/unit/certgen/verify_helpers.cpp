#include "tests/unit/certgen/verify_helpers.hpp"

#include <openssl/x509_vfy.h>

#include <stdexcept>

namespace tlsfault::test {
namespace {

std::vector<int>* collected(X509_STORE_CTX* ctx) { return static_cast<std::vector<int>*>(X509_STORE_CTX_get_app_data(ctx)); }

int collect_and_continue(int ok, X509_STORE_CTX* ctx) {
    if (!ok) collected(ctx)->push_back(X509_STORE_CTX_get_error(ctx));
    return 1;
}

std::vector<int> run_verify(const certgen::IssuedCertificate& cert, const certgen::CaStore& cas, const VerifySetup& setup, bool collect) {
    certgen::X509StorePtr store(X509_STORE_new());
    X509_STORE_add_cert(store.get(), cas.root().cert.get());
    for (X509_CRL* crl : setup.crls) X509_STORE_add_crl(store.get(), crl);
    STACK_OF(X509)* untrusted = sk_X509_new_null();
    for (const auto& c : cert.chain) sk_X509_push(untrusted, c.get());
    certgen::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!X509_STORE_CTX_init(ctx.get(), store.get(), cert.leaf.get(), untrusted)) throw std::runtime_error("ctx init");
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
    X509_VERIFY_PARAM_set_purpose(param, setup.as_client ? X509_PURPOSE_SSL_CLIENT : X509_PURPOSE_SSL_SERVER);
    if (!setup.host.empty()) {
        X509_VERIFY_PARAM_set_hostflags(param, setup.never_check_subject ? X509_CHECK_FLAG_NEVER_CHECK_SUBJECT : 0);
        X509_VERIFY_PARAM_set1_host(param, setup.host.c_str(), setup.host.size());
    }
    if (setup.crl_check || !setup.crls.empty()) X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK);
    if (setup.security_level >= 0) X509_VERIFY_PARAM_set_auth_level(param, setup.security_level);
    std::vector<int> errors;
    X509_STORE_CTX_set_app_data(ctx.get(), &errors);
    if (collect) X509_STORE_CTX_set_verify_cb(ctx.get(), collect_and_continue);
    int ok = X509_verify_cert(ctx.get());
    if (!collect && ok != 1) errors.push_back(X509_STORE_CTX_get_error(ctx.get()));
    sk_X509_free(untrusted);
    return errors;
}

}  // namespace

int verify_first_error(const certgen::IssuedCertificate& cert, const certgen::CaStore& cas, const VerifySetup& setup) {
    auto errors = run_verify(cert, cas, setup, false);
    return errors.empty() ? X509_V_OK : errors.front();
}

std::vector<int> verify_all_errors(const certgen::IssuedCertificate& cert, const certgen::CaStore& cas, const VerifySetup& setup) {
    return run_verify(cert, cas, setup, true);
}

std::string describe_verify_error(int error) {
    return "X509_V_ERR " + std::to_string(error) + " (" + X509_verify_cert_error_string(error) + ")";
}

}  // namespace tlsfault::test
