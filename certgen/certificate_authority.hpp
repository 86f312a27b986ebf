// One lab CA: its certificate, its private key, and where they live on disk.
#pragma once

#include "certgen/openssl_ptr.hpp"

#include <filesystem>
#include <string>

namespace tlsfault::certgen {

struct CertificateAuthority {
    std::string short_name;  ///< "root", "intermediate", "rogue-root": used in file and URL names
    X509Ptr cert;
    EvpPkeyPtr key;
    std::filesystem::path cert_path;  ///< empty for an in-memory CA
    std::filesystem::path key_path;
};

}  // namespace tlsfault::certgen
