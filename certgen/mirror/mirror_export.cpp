#include "certgen/mirror/mirror_export.hpp"

#include "certgen/catalogue_export.hpp"
#include "certgen/crl_builder.hpp"
#include "certgen/pem_io.hpp"

namespace tlsfault::certgen {

std::size_t export_mirror(const std::filesystem::path& dir, const MirroredChain& chain, const RevocationRegistry& revocations,
                          const std::string& p12_password, Pkcs12Encryption p12_encryption) {
    std::size_t files = write_certificate_files(dir, *chain.served, p12_password, p12_encryption);
    write_file_atomically(dir / "root.pem", to_pem(chain.trusted_root.get()));
    make_dir(dir / "ca");
    make_dir(dir / "crl");
    for (const auto& ca : chain.cas) {
        write_file_atomically(dir / "ca" / (ca->short_name + ".pem"), to_pem(ca->cert.get()));
        X509CrlPtr crl = build_crl(*ca, revocations.entries_for(ca->short_name));
        write_file_atomically(dir / "crl" / (ca->short_name + ".crl"), to_der(crl.get()));
        write_file_atomically(dir / "crl" / (ca->short_name + ".crl.pem"), to_pem(crl.get()));
        files += 3;
    }
    return files + 1;
}

}  // namespace tlsfault::certgen
