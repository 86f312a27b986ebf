// Options every subcommand that opens the lab PKI shares: --state-dir, --revocation-url.
#pragma once

#include "cli/arg_parser.hpp"

#include "certgen/leaf_minter.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace tlsfault::cli {

void add_pki_option_specs(std::vector<OptionSpec>& specs);
std::string pki_options_help();
std::filesystem::path state_dir_option(const ParsedArgs& args);
certgen::MintOptions mint_options(const ParsedArgs& args);

}  // namespace tlsfault::cli
