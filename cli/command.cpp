#include "cli/command.hpp"

#include "cli/commands/commands.hpp"

namespace tlsfault::cli {

std::span<const Command> all_commands() {
    static const Command commands[] = {
        {"certgen", "write the lab certificate catalogue, or a mirrored customer chain, as files", run_certgen},
        {"ca", "show, export and explain how to trust the lab root CA", run_ca},
        {"validate", "check scenario files: every problem as file:line:col, exit 2", run_validate},
        {"list", "the built-in scenarios, grouped, one line each", run_list},
        {"explain", "a scenario's symptom, cause, fix, client messages and how to run it", run_explain},
        {"run", "run the interception engine: explicit proxy, SNI listener, origin mode, verdicts", run_run},
        {"inspect", "print a chain (file or running lab server) and which profile or mutation reproduces each fault", run_inspect},
        {"check", "run a client command over scenarios; pass/fail per scenario, JUnit/Markdown/JSON", run_check},
    };
    return commands;
}

}  // namespace tlsfault::cli
