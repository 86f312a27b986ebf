#include "certgen/openssl_ptr.hpp"

namespace tlsfault::certgen {

X509Ptr share(X509* cert) {
    if (cert) X509_up_ref(cert);
    return X509Ptr(cert);
}

EvpPkeyPtr share(EVP_PKEY* key) {
    if (key) EVP_PKEY_up_ref(key);
    return EvpPkeyPtr(key);
}

}  // namespace tlsfault::certgen
