// One function per subcommand; each lives in its own file in this folder.
#pragma once

#include <span>
#include <string>

namespace tlsfault::cli {

int run_certgen(std::span<const std::string> args);
int run_ca(std::span<const std::string> args);
int run_validate(std::span<const std::string> args);
int run_list(std::span<const std::string> args);
int run_explain(std::span<const std::string> args);
int run_run(std::span<const std::string> args);
int run_inspect(std::span<const std::string> args);
int run_check(std::span<const std::string> args);

}  // namespace tlsfault::cli
