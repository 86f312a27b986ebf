// The lab keys of mirrored CAs, one per customer CA subject (and key type), kept in the state
// directory so that the same customer root maps to the same lab root across runs: a client
// that trusted the lab copy once keeps trusting it.
#pragma once

#include "certgen/key_type.hpp"

#include <filesystem>
#include <map>
#include <mutex>
#include <string>

namespace tlsfault::certgen {

class MirrorCaKeys {
public:
    /// Keys under `<dir>/<short name>.key` (0600); an empty `dir` keeps them in memory only.
    explicit MirrorCaKeys(std::filesystem::path dir = {});

    /// The key of the lab copy called `short_name` (see mirror_ca_short_name), of `type`:
    /// loaded, or generated and saved. A saved key of another type is replaced. Thread-safe.
    EvpPkeyPtr key(const std::string& short_name, KeyType type);

    const std::filesystem::path& dir() const { return dir_; }

private:
    std::filesystem::path dir_;
    std::mutex mutex_;
    std::map<std::string, EvpPkeyPtr> keys_;
};

/// "mirror-<12 hex digits of SHA-256 over the subject's DER>", plus "-rogue" for the copy
/// clients must not trust: a name usable in file names and revocation URLs.
std::string mirror_ca_short_name(const X509_NAME* subject, bool rogue = false);

}  // namespace tlsfault::certgen
