#include "certgen/lab_pki.hpp"

namespace tlsfault::certgen {

LabPki::LabPki(const std::filesystem::path& state_dir, MintOptions options, const std::filesystem::path& ca_state_dir)
    : LabPki(CaStore::open(ca_state_dir.empty() ? state_dir : ca_state_dir), state_dir / "keys", std::move(options)) {}

LabPki::LabPki(CaStore cas, std::filesystem::path key_dir, MintOptions options)
    : cas_(std::move(cas)), keys_(std::move(key_dir)), minter_(cas_, keys_, revocations_, std::move(options)) {}

std::unique_ptr<LabPki> LabPki::in_memory(MintOptions options) {
    return std::unique_ptr<LabPki>(new LabPki(CaStore::in_memory(), {}, std::move(options)));
}

}  // namespace tlsfault::certgen
