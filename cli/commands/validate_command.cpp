// `tlsfault validate FILE...`: checks scenario files without running anything or writing
// anything. One ok line per good file; every problem of a bad one as file:line:col; exit 2.
#include "cli/arg_parser.hpp"
#include "cli/commands/commands.hpp"

#include "scenarios/builtin/builtin_catalogue.hpp"

#include <iostream>

namespace tlsfault::cli {
namespace {

void print_help() {
    std::cout << R"HELP(Usage: tlsfault validate FILE...
       tlsfault validate --builtin

Checks scenario files: YAML syntax, unknown or misspelt keys and values, types, units, globs and
regexes, certificate profiles, alert names. Nothing is started and nothing is written.

Prints "FILE: ok (NAME, N rules)" for each valid file. For an invalid one, prints every problem on
its own line as FILE:LINE:COLUMN: KEY.PATH: MESSAGE (with "did you mean ...?" where a near name
exists) to standard error. Exit status: 0 when all files are valid, 2 otherwise.

Options:
  --builtin   validate the catalogue built into this binary instead of files
  -h, --help  this text

The language is documented in docs/scenarios.md; `tlsfault list` shows the built-in scenarios.
)HELP";
}

std::string ok_line(const std::string& label, const scenarios::Scenario& s) {
    return label + ": ok (" + s.name + ", " + std::to_string(s.rules.size()) + (s.rules.size() == 1 ? " rule)" : " rules)");
}

}  // namespace

int run_validate(std::span<const std::string> args) {
    const std::vector<OptionSpec> specs = {{"builtin", false}};
    ParsedArgs parsed = parse_args(args, specs, "validate");
    if (parsed.has("help")) {
        print_help();
        return 0;
    }
    if (parsed.positionals().empty() && !parsed.has("builtin"))
        throw UsageError("give at least one scenario file (or --builtin); see tlsfault validate --help");
    bool all_ok = true;
    auto report = [&](const std::string& label, auto&& load) {
        try {
            auto scenario = load();
            std::cout << ok_line(label, *scenario) << "\n";
        } catch (const scenarios::LoadError& e) {
            all_ok = false;
            for (const auto& p : e.problems()) std::cerr << p.to_string() << "\n";
        }
    };
    if (parsed.has("builtin")) {
        for (const auto& file : scenarios::builtin_scenario_files()) {
            const std::string label = scenarios::builtin_file_label(file.file_name);
            report(label, [&] { return scenarios::load_scenario_text(file.bytes, label); });
        }
    }
    for (const auto& path : parsed.positionals()) report(path, [&] { return scenarios::load_scenario_file(path); });
    return all_ok ? 0 : 2;
}

}  // namespace tlsfault::cli
