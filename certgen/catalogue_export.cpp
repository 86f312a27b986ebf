#include "certgen/catalogue_export.hpp"

#include "certgen/certgen_error.hpp"
#include "certgen/crl_builder.hpp"
#include "certgen/pem_io.hpp"

#include <openssl/x509_vfy.h>

#include <memory>

namespace tlsfault::certgen {
namespace {

namespace fs = std::filesystem;

struct Minted {
    fs::path dir;
    std::shared_ptr<const IssuedCertificate> cert;
};

std::size_t write_ca_material(const fs::path& out, const CaStore& cas, const RevocationRegistry& revocations) {
    const fs::path ca_dir = out / "ca", crl_dir = ca_dir / "crl";
    make_dir(crl_dir);
    std::size_t files = 0;
    for (const CertificateAuthority* ca : {&cas.root(), &cas.intermediate(), &cas.rogue_root()}) {
        write_file_atomically(ca_dir / (ca->short_name + ".pem"), to_pem(ca->cert.get()));
        write_file_atomically(ca_dir / (ca->short_name + ".der"), to_der(ca->cert.get()));
        X509CrlPtr crl = build_crl(*ca, revocations.entries_for(ca->short_name));
        write_file_atomically(crl_dir / (ca->short_name + ".crl"), to_der(crl.get()));
        write_file_atomically(crl_dir / (ca->short_name + ".crl.pem"), to_pem(crl.get()));
        files += 4;
    }
    CrlOptions stale;
    stale.stale = true;
    X509CrlPtr stale_crl = build_crl(cas.intermediate(), revocations.entries_for("intermediate"), stale);
    write_file_atomically(crl_dir / "intermediate-stale.crl", to_der(stale_crl.get()));
    return files + 1;
}

std::string escape_cell(std::string text) {
    for (std::size_t pos = text.find('|'); pos != std::string::npos; pos = text.find('|', pos + 2)) text.replace(pos, 1, "\\|");
    return text;
}

}  // namespace

void make_dir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir))
        throw CertgenError(dir.string() + ": cannot create directory (" + (ec ? ec.message() : "not a directory") +
                           "); choose another --out");
}

std::size_t write_certificate_files(const fs::path& dir, const IssuedCertificate& cert, const std::string& password,
                                    Pkcs12Encryption encryption) {
    make_dir(dir);
    std::string chain_pem;
    for (const auto& c : cert.chain) chain_pem += to_pem(c.get());
    const std::string leaf_pem = to_pem(cert.leaf.get());
    write_file_atomically(dir / "key.pem", private_key_to_pem(cert.key.get()), 0600);
    write_file_atomically(dir / "cert.pem", leaf_pem);
    write_file_atomically(dir / "chain.pem", chain_pem);
    write_file_atomically(dir / "fullchain.pem", leaf_pem + chain_pem);
    write_file_atomically(dir / "cert.der", to_der(cert.leaf.get()));
    write_file_atomically(dir / "bundle.p12",
                          to_pkcs12(cert.key.get(), cert.leaf.get(), cert.chain, password, cert.profile + "." + cert.host, encryption),
                          0600);
    return 6;
}

std::string catalogue_index_markdown(const std::vector<const CertProfile*>& profiles, const std::vector<std::string>& hosts) {
    std::string md = "# tlsfault certificate catalogue\n\n";
    md += "Trust `ca/root.pem` as a root on the client (only for lab machines; see `tlsfault ca --help`).\n";
    md += "On a server, install `<host>/<profile>/fullchain.pem` with `key.pem` (nginx, Apache), or import\n";
    md += "`bundle.p12` (password as given to `tlsfault certgen`, default `tlsfault`) on IIS/Exchange.\n";
    md += "CRLs are in `ca/crl/` (DER `.crl`, PEM `.crl.pem`; `intermediate-stale.crl` has nextUpdate in the past).\n\n";
    md += "Hosts:";
    for (const auto& h : hosts) md += " `" + h + "`";
    md += "\n\n| profile | what is wrong | what a correct client says | OpenSSL verify |\n|---|---|---|---|\n";
    for (const CertProfile* p : profiles) {
        std::string verdict = p->expected_verify_error == X509_V_OK ? std::string("ok")
                                                                    : std::to_string(p->expected_verify_error) + " " +
                                                                          X509_verify_cert_error_string(p->expected_verify_error);
        if (p->verify_needs_crl) verdict += " (with CRL checking)";
        if (p->verify_security_level) verdict += " (at security level " + std::to_string(p->verify_security_level) + ")";
        if (p->verify_never_check_subject) verdict += " (without the CN fallback)";
        if (p->verify_as_client) verdict += " (as a client certificate)";
        md += "| `" + p->name + "` | " + escape_cell(p->summary) + " | " + escape_cell(p->correct_client) + " | " + escape_cell(verdict) +
              " |\n";
    }
    return md;
}

CatalogueExportResult export_catalogue(const CatalogueExportRequest& request, const LeafMinter& minter,
                                       const RevocationRegistry& revocations) {
    // Mint everything before writing anything: a bad host or profile leaves no partial output.
    std::vector<Minted> minted;
    for (const auto& host : request.hosts)
        for (const CertProfile* profile : request.profiles)
            minted.push_back({request.out_dir / host / profile->name, minter.mint(*profile, host)});
    make_dir(request.out_dir);
    CatalogueExportResult result;
    for (const auto& m : minted) result.files += write_certificate_files(m.dir, *m.cert, request.p12_password, request.p12_encryption);
    result.certificates = minted.size();
    result.files += write_ca_material(request.out_dir, minter.cas(), revocations);
    write_file_atomically(request.out_dir / "index.md", catalogue_index_markdown(request.profiles, request.hosts));
    result.files += 1;
    return result;
}

}  // namespace tlsfault::certgen
