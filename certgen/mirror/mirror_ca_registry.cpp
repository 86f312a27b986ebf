#include "certgen/mirror/mirror_ca_registry.hpp"

namespace tlsfault::certgen {

void MirrorCaRegistry::add(std::shared_ptr<const CertificateAuthority> ca) {
    std::lock_guard lock(mutex_);
    cas_[ca->short_name] = std::move(ca);
}

std::shared_ptr<const CertificateAuthority> MirrorCaRegistry::find(const std::string& short_name) const {
    std::lock_guard lock(mutex_);
    auto it = cas_.find(short_name);
    return it == cas_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const CertificateAuthority>> MirrorCaRegistry::all() const {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<const CertificateAuthority>> out;
    for (const auto& [name, ca] : cas_) out.push_back(ca);
    return out;
}

}  // namespace tlsfault::certgen
