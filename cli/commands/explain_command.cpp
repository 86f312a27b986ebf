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
    std::cout << R"HELP(Usage: tlsfault explain NAME|FILE

Prints a scenario's training text: the symptom a customer reports, the cause, the fix, what
tlsfault does for each rule and what a correct client does, the exact messages clients print,
and how to run it (the `tlsfault run` line and a curl command).

NAME is a built-in scenario (see tlsfault list); FILE a scenario file.

Options:
  -h, --help  this text
)HELP";
}

}  // namespace

int run_explain(std::span<const std::string> args) {
    ParsedArgs parsed = parse_args(args, {}, "explain");
    if (parsed.has("help")) {
        print_help();
        return 0;
    }
    if (parsed.positionals().size() != 1) throw UsageError("give exactly one scenario name or file; see tlsfault explain --help");
    try {
        std::cout << scenarios::explain_text(*scenarios::resolve_scenario(parsed.positionals()[0]));
    } catch (const scenarios::LoadError& e) {
        for (const auto& p : e.problems()) std::cerr << p.to_string() << "\n";
        return 2;
    }
    return 0;
}

}  // namespace tlsfault::cli
