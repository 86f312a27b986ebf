// `tlsfault certgen`: writes the certificate catalogue as files for servers outside the proxy.
#include "cli/arg_parser.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/pki_options.hpp"

#include "certgen/catalogue.hpp"
#include "certgen/catalogue_export.hpp"
#include "certgen/certificate_builder.hpp"
#include "certgen/lab_pki.hpp"

#include <iostream>

namespace tlsfault::cli {
namespace {

void print_help() {
    std::cout <<
        R"(Usage: tlsfault certgen --out DIR [--host NAME]... [--profile NAME]... [options]

Writes lab certificates as files, to install on your own servers (IIS, Exchange, nginx) when
you reproduce a case without tlsfault in the path. For each host and profile:
  DIR/<host>/<profile>/cert.pem       the leaf certificate
  DIR/<host>/<profile>/key.pem        its private key (mode 0600)
  DIR/<host>/<profile>/chain.pem      what the server must send after the leaf (may be empty)
  DIR/<host>/<profile>/fullchain.pem  leaf + chain: nginx ssl_certificate, Apache SSLCertificateFile
  DIR/<host>/<profile>/cert.der       the leaf, DER
  DIR/<host>/<profile>/bundle.p12     key + leaf + chain, PKCS#12 (IIS, Exchange, Java, macOS)
and DIR/ca/ (root.pem, intermediate.pem, rogue-root.pem, and .der), DIR/ca/crl/ (CRLs), and
DIR/index.md: one line per profile, what is wrong with it and what a correct client says.

Options:
  --out DIR             where to write (created if missing; existing files are replaced)
  --host NAME           a DNS name or IP address; repeat for several (default: localhost)
  --profile NAME        a catalogue profile; repeat for several (default: all)
  --p12-password PW     password of every bundle.p12 (default: tlsfault)
  --p12-legacy          encrypt every bundle.p12 with 3DES and a SHA-1 MAC (default: AES-256, SHA-256),
                        for Windows Server 2012/2008 R2, .NET Framework and mono
)" << pki_options_help() << R"(
Profiles:
)";
    for (const auto& p : certgen::builtin_profiles()) {
        std::string name = p.name;
        name.resize(26, ' ');
        std::cout << "  " << name << p.summary << "\n";
    }
    std::cout << "\nExample:\n  tlsfault certgen --out ./lab-certs --host mail.contoso.com --profile self-signed --profile wrong-host\n";
}

std::vector<const certgen::CertProfile*> chosen_profiles(const std::vector<std::string>& names) {
    std::vector<const certgen::CertProfile*> out;
    if (names.empty()) {
        for (const auto& p : certgen::builtin_profiles()) out.push_back(&p);
        return out;
    }
    for (const auto& name : names) {
        const certgen::CertProfile* p = certgen::find_profile(name);
        if (!p) {
            std::string hint = certgen::closest_profile_name(name);
            throw UsageError("--profile " + name + ": no such profile" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                             "; tlsfault certgen --help lists them");
        }
        out.push_back(p);
    }
    return out;
}

}  // namespace

int run_certgen(std::span<const std::string> args) {
    std::vector<OptionSpec> specs = {{"out"}, {"host", true, true}, {"profile", true, true}, {"p12-password"}, {"p12-legacy", false}};
    add_pki_option_specs(specs);
    ParsedArgs parsed = parse_args(args, specs, "certgen");
    if (parsed.has("help")) {
        print_help();
        return 0;
    }
    if (!parsed.positionals().empty()) throw UsageError("unexpected argument '" + parsed.positionals()[0] + "'; see tlsfault certgen --help");
    if (!parsed.has("out")) throw UsageError("--out DIR is required: the directory to write the certificates to");

    certgen::CatalogueExportRequest request;
    request.out_dir = parsed.get("out");
    request.hosts = parsed.get_all("host");
    if (request.hosts.empty()) request.hosts = {"localhost"};
    for (const auto& host : request.hosts)
        if (!certgen::is_valid_dns_name(host) && !certgen::is_ip_address(host))
            throw UsageError("--host " + host + ": not a DNS name or IP address");
    request.profiles = chosen_profiles(parsed.get_all("profile"));
    request.p12_password = parsed.get("p12-password", "tlsfault");
    if (parsed.has("p12-legacy")) request.p12_encryption = certgen::Pkcs12Encryption::legacy;

    certgen::LabPki pki(state_dir_option(parsed), mint_options(parsed));
    auto result = certgen::export_catalogue(request, pki.minter(), pki.revocations());
    std::cout << "wrote " << result.certificates << " certificates (" << result.files << " files) to " << request.out_dir.string()
              << "\n  index:      " << (request.out_dir / "index.md").string()
              << "\n  trust this: " << (request.out_dir / "ca/root.pem").string() << " (the lab root)\n";
    return 0;
}

}  // namespace tlsfault::cli
