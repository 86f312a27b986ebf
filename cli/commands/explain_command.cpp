// `tlsfault explain NAME|FILE`: a scenario's training text — symptom, cause, fix, what each
// rule does, the exact client messages, and the commands that show it.
#include "cli/arg_parser.hpp"
#include "cli/commands/commands.hpp"

#include "scenarios/builtin/builtin_catalogue.hpp"
#include "scenarios/builtin/scenario_text.hpp"

#include <iostream>

namespace tlsfault::cli {
namespace {

void print_help() {
    std::cout << R"HELP(Usage: tlsfault explain NAME|FILE [--state-dir DIR]

Prints a scenario's training text: the symptom a customer reports, the cause, the fix, what
tlsfault does for each rule and what a correct client does, the exact messages clients print,
and how to run it (the `tlsfault run` line and a curl command).

NAME is a built-in scenario (see tlsfault list); FILE a scenario file. The client lines assume
`tlsfault run`'s default listeners (proxy 127.0.0.1:8080, SNI 127.0.0.1:8443, CRL/OCSP
127.0.0.1:8082); `tlsfault run NAME` prints the same lines with its real ports and CA path.

Options:
  --state-dir DIR  the state directory the lines' `tlsfault ca path` names (as given to run)
  -h, --help       this text
)HELP";
}

}  // namespace

int run_explain(std::span<const std::string> args) {
    const OptionSpec specs[] = {{"state-dir"}};
    ParsedArgs parsed = parse_args(args, specs, "explain");
    if (parsed.has("help")) {
        print_help();
        return 0;
    }
    if (parsed.positionals().size() != 1) throw UsageError("give exactly one scenario name or file; see tlsfault explain --help");
    try {
        scenarios::ClientLineContext where;
        if (auto dir = parsed.get_optional("state-dir")) where.ca = "$(tlsfault ca path --state-dir '" + *dir + "')";
        std::cout << scenarios::explain_text(*scenarios::resolve_scenario(parsed.positionals()[0]), where);
    } catch (const scenarios::LoadError& e) {
        for (const auto& p : e.problems()) std::cerr << p.to_string() << "\n";
        return 2;
    }
    return 0;
}

}  // namespace tlsfault::cli
