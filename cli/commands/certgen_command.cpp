// `tlsfault certgen`: writes the certificate catalogue as files for servers outside the proxy.
#include "cli/arg_parser.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/pki_options.hpp"

#include "certgen/catalogue.hpp"
#include "certgen/catalogue_export.hpp"
#include "certgen/certificate_builder.hpp"
#include "certgen/lab_pki.hpp"
#include "certgen/certgen_error.hpp"
#include "certgen/mirror/customer_chain.hpp"
#include "certgen/mirror/mirror_export.hpp"
#include "certgen/pem_io.hpp"

#include <filesystem>
#include <iostream>
#include <optional>

namespace tlsfault::cli {
namespace {

void print_help() {
    std::cout <<
        R"(Usage: tlsfault certgen --out DIR [--host NAME]... [--profile NAME]... [options]
       tlsfault certgen --mirror FILE [--mutate NAME[=VALUE]]... [--keep-urls] --out DIR [options]

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

With --mirror, re-mints a customer's chain (PEM or DER, any order) with lab keys: same names,
SANs, key usage, EKU, policies, validity, key type and size, signature algorithm, and CDP/AIA
URLs pointing at the lab revocation listener (--revocation-url). Writes DIR/cert.pem, key.pem,
chain.pem, fullchain.pem, cert.der, bundle.p12, DIR/root.pem (the lab copy of the customer's
root: trust this), DIR/ca/<name>.pem and DIR/crl/<name>.crl(.pem) per lab CA copy.

Options:
  --out DIR             where to write (created if missing; existing files are replaced)
  --mirror FILE         the customer's chain to mirror (leaf, intermediates, root; a .cer is fine)
  --mutate NAME[=VALUE] with --mirror: a fault to add; repeat for several. expired, not_yet_valid,
                        wrong_host=NAME, drop_intermediate, self_signed, revoked, sha1, rsa_1024,
                        remove_san, eku=serverAuth,clientAuth, untrusted_root (docs/certgen.md)
  --keep-urls           with --mirror: keep the customer's CDP/AIA URLs
  --host NAME           a DNS name or IP address; repeat for several (default: localhost)
  --profile NAME        a catalogue profile; repeat for several (default: all)
  --p12-password PW     password of every bundle.p12 (default: tlsfault)
  --p12-legacy          encrypt every bundle.p12 with 3DES and a SHA-1 MAC (default: AES-256, SHA-256),
                        for Windows Server 2012/2008 R2, .NET Framework and mono
)" << pki_options_help()
              << R"(
Profiles:
)";
    for (const auto& p : certgen::builtin_profiles()) {
        std::string name = p.name;
        name.resize(26, ' ');
        std::cout << "  " << name << p.summary << "\n";
    }
    std::cout << "\nExamples:\n  tlsfault certgen --out ./lab-certs --host mail.contoso.com --profile self-signed --profile wrong-host\n"
                 "  tlsfault certgen --mirror customer-chain.pem --mutate expired --out ./mirrored\n";
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

certgen::MirrorMutations parse_mutations(const std::vector<std::string>& flags) {
    certgen::MirrorMutations mutations;
    for (const auto& flag : flags) {
        const auto eq = flag.find('=');
        std::optional<std::string_view> value;
        if (eq != std::string::npos) value = std::string_view(flag).substr(eq + 1);
        try {
            certgen::set_mutation(mutations, std::string_view(flag).substr(0, eq), value);
        } catch (const certgen::CertgenError& e) {
            throw UsageError("--mutate " + flag + ": " + e.what());
        }
    }
    try {
        certgen::check_mutations(mutations);
    } catch (const certgen::CertgenError& e) {
        throw UsageError(std::string("--mutate: ") + e.what());
    }
    return mutations;
}

int run_mirror(const ParsedArgs& parsed) {
    if (parsed.has("host") || parsed.has("profile"))
        throw UsageError(
            "--mirror takes the names from the customer's certificate: drop --host and --profile (or use --mutate wrong_host=NAME)");
    certgen::MirrorRequest request;
    const std::filesystem::path file = parsed.get("mirror");
    request.mutate = parse_mutations(parsed.get_all("mutate"));  // before reading anything: a typo costs nothing
    request.source = certgen::read_customer_chain(file);
    request.origin = file.filename().string();
    request.keep_urls = parsed.has("keep-urls");
    certgen::LabPki pki(state_dir_option(parsed), mint_options(parsed));
    const certgen::MirroredChain chain = pki.mirror(request);  // minted in full before any file is written
    const std::filesystem::path out = parsed.get("out");
    const auto encryption = parsed.has("p12-legacy") ? certgen::Pkcs12Encryption::legacy : certgen::Pkcs12Encryption::modern;
    const std::size_t files = certgen::export_mirror(out, chain, pki.revocations(), parsed.get("p12-password", "tlsfault"), encryption);
    const std::string mutations = certgen::describe(request.mutate);
    std::cout << "mirrored " << request.source.size() << (request.source.size() == 1 ? " certificate" : " certificates") << " of "
              << file.string() << (mutations.empty() ? "" : " with " + mutations) << " (" << files << " files) to " << out.string()
              << "\n  leaf:       " << (out / "cert.pem").string() << " (" << certgen::subject_line(chain.served->leaf.get()) << ")"
              << "\n  trust this: " << (out / "root.pem").string() << " (the lab copy of "
              << certgen::subject_line(chain.trusted_root.get()) << ")\n";
    if (chain.stand_in_root)
        std::cout << "  note: the file ends below its root; root.pem is a lab root named after the top certificate's issuer\n";
    return 0;
}

}  // namespace

int run_certgen(std::span<const std::string> args) {
    std::vector<OptionSpec> specs = {{"out"},    {"host", true, true},   {"profile", true, true}, {"p12-password"}, {"p12-legacy", false},
                                     {"mirror"}, {"mutate", true, true}, {"keep-urls", false}};
    add_pki_option_specs(specs);
    ParsedArgs parsed = parse_args(args, specs, "certgen");
    if (parsed.has("help")) {
        print_help();
        return 0;
    }
    if (!parsed.positionals().empty())
        throw UsageError("unexpected argument '" + parsed.positionals()[0] + "'; see tlsfault certgen --help");
    if (!parsed.has("out")) throw UsageError("--out DIR is required: the directory to write the certificates to");
    if (parsed.has("mirror")) return run_mirror(parsed);
    if (parsed.has("mutate") || parsed.has("keep-urls")) throw UsageError("--mutate and --keep-urls go with --mirror FILE");

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
