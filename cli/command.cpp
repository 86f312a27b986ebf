#include "cli/command.hpp"

#include "cli/commands/commands.hpp"

namespace tlsfault::cli {

std::span<const Command> all_commands() {
    static const Command commands[] = {
        {"certgen", "write the lab certificate catalogue as files (PEM, DER, PKCS#12)", run_certgen},
        {"ca", "show, export and explain how to trust the lab root CA", run_ca},
    };
    return commands;
}

}  // namespace tlsfault::cli
