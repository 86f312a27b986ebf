// The subcommand table: each subcommand is a function in cli/commands/, listed in command.cpp.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace tlsfault::cli {

/// Runs a subcommand with the arguments after its name; returns the process exit code.
/// Throws UsageError for bad input (exit 2); prints its own --help.
using CommandFn = int (*)(std::span<const std::string> args);

struct Command {
    std::string_view name;
    std::string_view summary;
    CommandFn run;
};

std::span<const Command> all_commands();

}  // namespace tlsfault::cli
