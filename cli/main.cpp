// tlsfault's entry point: dispatches to a subcommand and turns load-time errors into exit 2.
#include "cli/arg_parser.hpp"
#include "cli/command.hpp"
#include "cli/malloc_tuning.hpp"
#include "certgen/certgen_error.hpp"

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

namespace {

void print_usage(std::ostream& out) {
    out << "tlsfault — a TLS-intercepting test proxy and fault injector\n\n"
           "Usage: tlsfault <command> [options]   (tlsfault <command> --help for details)\n\nCommands:\n";
    for (const auto& command : tlsfault::cli::all_commands()) {
        std::string name(command.name);
        name.resize(10, ' ');
        out << "  " << name << command.summary << "\n";
    }
}

}  // namespace

int main(int argc, char** argv) {
    tlsfault::cli::restart_with_deeper_malloc_cache(argc, argv);
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
        print_usage(std::cout);
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        std::cout << "tlsfault " TLSFAULT_VERSION "\n";
        return 0;
    }
    try {
        for (const auto& command : tlsfault::cli::all_commands()) {
            if (command.name == args[0]) return command.run(std::span(args).subspan(1));
        }
        throw tlsfault::cli::UsageError("unknown command '" + args[0] + "'; run tlsfault --help for the list");
    } catch (const tlsfault::cli::UsageError& e) {
        std::cerr << "tlsfault: " << e.what() << "\n";
        return 2;
    } catch (const tlsfault::certgen::CertgenError& e) {
        std::cerr << "tlsfault: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "tlsfault: " << e.what() << "\n";
        return 2;
    }
}
