#include "cli/commands/pki_options.hpp"

#include "certgen/ca_store.hpp"

namespace tlsfault::cli {

void add_pki_option_specs(std::vector<OptionSpec>& specs) {
    specs.push_back({"state-dir"});
    specs.push_back({"revocation-url"});
}

std::string pki_options_help() {
    return "  --state-dir DIR       where the lab CA and leaf keys live, created mode 0700 (default: " + certgen::default_state_dir_text() +
           ")\n"
           "  --revocation-url URL  base URL written into CRL/OCSP extensions (default: http://127.0.0.1:8082)\n";
}

std::filesystem::path state_dir_option(const ParsedArgs& args) {
    auto dir = args.get_optional("state-dir");
    if (dir) return std::filesystem::path(*dir);
    if (auto fallback = certgen::default_state_dir()) return *fallback;
    throw UsageError("no state directory: HOME and XDG_DATA_HOME are both unset; pass --state-dir DIR");
}

certgen::MintOptions mint_options(const ParsedArgs& args) {
    certgen::MintOptions options;
    if (auto url = args.get_optional("revocation-url")) {
        if (url->rfind("http://", 0) != 0)
            throw UsageError("--revocation-url " + *url + ": must start with http:// (clients fetch CRLs and OCSP over plain HTTP)");
        while (!url->empty() && url->back() == '/') url->pop_back();
        options.revocation_url = *url;
    }
    return options;
}

}  // namespace tlsfault::cli
