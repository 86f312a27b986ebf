// `tlsfault ca`: where the lab root is, exporting it, and how to trust it on each platform.
#include "cli/arg_parser.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/pki_options.hpp"

#include "certgen/ca_store.hpp"
#include "certgen/certgen_error.hpp"
#include "certgen/pem_io.hpp"

#include <iostream>

namespace tlsfault::cli {
namespace {

void print_help() {
    std::cout << R"(Usage: tlsfault ca path [--state-dir DIR]
       tlsfault ca init [--state-dir DIR]
       tlsfault ca export --format pem|der|p12 [--out FILE] [--p12-password PW] [--p12-legacy] [--state-dir DIR]

The lab root CA signs every "good" certificate tlsfault shows. It is created by `ca init`, or on
first use by `run`, `certgen` and `ca export`, in the state directory (default:
)" << certgen::default_state_dir_text()
              << R"(/ca/). Trust it only on lab machines and
test trust stores: anyone holding its key can impersonate any site to that machine.

  path     print the path of the lab root certificate (PEM). Only a query: when there is no lab
           CA in the state directory yet it creates none, says how to make one, and exits 1
  init     create the lab CAs if they are missing (checks them if present); prints the root's path
  export   write the lab root as PEM (default: to standard output), DER or PKCS#12 (--out needed)

How to trust the lab root (ROOT = the path `tlsfault ca path` prints):
  Debian/Ubuntu   cp "$ROOT" /usr/local/share/ca-certificates/tlsfault-lab.crt && update-ca-certificates
                  (remove: delete the file, then update-ca-certificates --fresh)
  Windows         tlsfault ca export --format der --out tlsfault-lab.cer
                  certutil -addstore -f Root tlsfault-lab.cer        (elevated; .NET, WinHTTP, Edge, Chrome)
                  or per user: certutil -user -addstore Root tlsfault-lab.cer
  macOS           sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain "$ROOT"
  Java            keytool -importcert -noprompt -alias tlsfault-lab -file "$ROOT" \
                      -keystore "$JAVA_HOME/lib/security/cacerts" -storepass changeit
                  or only for one run: -Djavax.net.ssl.trustStore=FILE with a store made by keytool
  Node.js         NODE_EXTRA_CA_CERTS="$ROOT" node app.js
  Python          requests: REQUESTS_CA_BUNDLE="$ROOT"; ssl: ssl.create_default_context(cafile=ROOT)
  curl            curl --cacert "$ROOT" ...       (or CURL_CA_BUNDLE="$ROOT")
  Firefox         Settings > Privacy & Security > Certificates > View Certificates > Authorities > Import

Options:
  --format pem|der|p12  export format (default: pem)
  --out FILE            write there instead of standard output (required for der and p12)
  --p12-password PW     password of the .p12 (default: tlsfault)
  --p12-legacy          encrypt the .p12 with 3DES and a SHA-1 MAC (default: AES-256, SHA-256), for
                        Windows Server 2012/2008 R2, .NET Framework and mono
)" << pki_options_help();
}

int export_root(const ParsedArgs& parsed, const certgen::CaStore& cas) {
    const std::string format = parsed.get("format", "pem");
    if (parsed.has("p12-legacy") && format != "p12") throw UsageError("--p12-legacy applies to --format p12 only");
    const auto out = parsed.get_optional("out");
    std::string content;
    const X509* root = cas.root().cert.get();
    if (format == "pem") {
        content = certgen::to_pem(root);
    } else if (format == "der") {
        content = certgen::to_der(root);
    } else if (format == "p12") {
        // A certificate-only bundle: what Windows' certificate import wizard and keytool accept.
        content = certgen::to_pkcs12(nullptr, root, {}, parsed.get("p12-password", "tlsfault"), "tlsfault lab root",
                                     parsed.has("p12-legacy") ? certgen::Pkcs12Encryption::legacy : certgen::Pkcs12Encryption::modern);
    } else {
        throw UsageError("--format " + format + ": use pem, der or p12");
    }
    if (!out) {
        if (format != "pem") throw UsageError("--format " + format + " is binary: give --out FILE");
        std::cout << content;
        return 0;
    }
    certgen::write_file_atomically(*out, content);
    std::cerr << "wrote the lab root (" << format << ") to " << *out << "\n";
    return 0;
}

/// `ca path`: a query, so it never creates the CA (a second lab CA made by a typo in the state
/// directory would be trusted by nobody and silently break every client line that uses it).
int print_root_path(const std::filesystem::path& state_dir) {
    const auto root = state_dir / "ca" / "root.pem";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(root, ec)) {
        std::cerr << "tlsfault ca path: there is no lab CA in " << (state_dir / "ca").string()
                  << " yet; create it with: tlsfault ca init --state-dir '" << state_dir.string() << "'\n";
        return 1;
    }
    std::cout << root.string() << "\n";
    return 0;
}

}  // namespace

int run_ca(std::span<const std::string> args) {
    std::vector<OptionSpec> specs = {{"format"}, {"out"}, {"p12-password"}, {"p12-legacy", false}};
    add_pki_option_specs(specs);
    ParsedArgs parsed = parse_args(args, specs, "ca");
    if (parsed.has("help") || parsed.positionals().empty()) {
        print_help();
        return parsed.has("help") ? 0 : 2;
    }
    const std::string& action = parsed.positionals()[0];
    if (parsed.positionals().size() > 1) throw UsageError("unexpected argument '" + parsed.positionals()[1] + "'; see tlsfault ca --help");
    if (action != "path" && action != "init" && action != "export")
        throw UsageError("unknown action '" + action + "': use 'path', 'init' or 'export'");
    const auto state_dir = state_dir_option(parsed);
    if (action == "path") return print_root_path(state_dir);
    auto cas = certgen::CaStore::open(state_dir);
    if (action == "init") {
        std::cout << cas.root().cert_path.string() << "\n";
        return 0;
    }
    return export_root(parsed, cas);
}

}  // namespace tlsfault::cli
