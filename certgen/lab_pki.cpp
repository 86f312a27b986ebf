#include "certgen/lab_pki.hpp"

#include "certgen/pem_io.hpp"

#include <ctime>

namespace tlsfault::certgen {

LabPki::LabPki(const std::filesystem::path& state_dir, MintOptions options, const std::filesystem::path& ca_state_dir)
    : LabPki(CaStore::open(ca_state_dir.empty() ? state_dir : ca_state_dir), state_dir / "keys", state_dir / "mirror", std::move(options)) {
}

LabPki::LabPki(CaStore cas, std::filesystem::path key_dir, std::filesystem::path mirror_dir, MintOptions options)
    : cas_(std::move(cas)),
      keys_(std::move(key_dir)),
      minter_(cas_, keys_, revocations_, std::move(options)),
      mirror_keys_(std::move(mirror_dir)),
      mirror_(keys_, mirror_keys_, revocations_, mirror_cas_) {
    point_intermediates_at(minter_.options());
}

void LabPki::set_mint_options(MintOptions options) {
    point_intermediates_at(options);
    minter_.set_options(std::move(options));
}

void LabPki::point_intermediates_at(const MintOptions& options) {
    const auto& revoked = cas_.intermediate(IntermediateStatus::revoked);
    revocations_.remove("root", serial_hex(revoked.cert.get()));  // the serial it had before
    cas_.point_intermediates_at(options.revocation_url, options.unreachable_url);
    constexpr int ca_compromise = 2;
    revocations_.add({"root", serial_hex(revoked.cert.get()), std::time(nullptr) - 3600, ca_compromise});
}

MirroredChain LabPki::mirror(const MirrorRequest& request) {
    MirroredChain chain = mirror_.mirror(request, minter_.options());
    if (auto path = mirrored_root_file(request.source); !path.empty()) write_file_atomically(path, to_pem(chain.trusted_root.get()));
    return chain;
}

std::filesystem::path LabPki::mirrored_root_file(const std::vector<X509Ptr>& source) const {
    if (mirror_keys_.dir().empty() || source.empty()) return {};
    return mirror_keys_.dir() / (mirror_ca_short_name(mirrored_root_name(source)) + ".root.pem");
}

std::unique_ptr<LabPki> LabPki::in_memory(MintOptions options) {
    return std::unique_ptr<LabPki>(new LabPki(CaStore::in_memory(), {}, {}, std::move(options)));
}

}  // namespace tlsfault::certgen
