// A small, strict command-line parser shared by every subcommand: `--name value`,
// `--name=value`, repeatable options, flags, positionals, and one-line errors.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace tlsfault::cli {

/// Bad command-line input: main prints "tlsfault: <what>" and exits 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct OptionSpec {
    std::string name;         ///< without the dashes, e.g. "state-dir"
    bool takes_value = true;  ///< false: a flag
    bool repeatable = false;
};

class ParsedArgs {
public:
    bool has(const std::string& name) const { return values_.count(name) != 0; }
    /// The value of a single-valued option, or `fallback`.
    std::string get(const std::string& name, const std::string& fallback = {}) const;
    std::optional<std::string> get_optional(const std::string& name) const;
    /// Every value of a repeatable option, in order.
    std::vector<std::string> get_all(const std::string& name) const;
    /// A value parsed as an integer in [min, max]; UsageError otherwise.
    long get_int(const std::string& name, long fallback, long min, long max) const;
    const std::vector<std::string>& positionals() const { return positionals_; }
    /// Every option given, by name (flags have one "" value per occurrence); "help" included.
    const std::map<std::string, std::vector<std::string>>& options() const { return values_; }

private:
    friend ParsedArgs parse_args(std::span<const std::string>, std::span<const OptionSpec>, const std::string&);
    std::map<std::string, std::vector<std::string>> values_;
    std::vector<std::string> positionals_;
};

/// Parses `args` (after the subcommand name) against `specs`. `-h`/`--help` is recorded as the
/// flag "help". `command` names the subcommand in error messages ("see tlsfault certgen --help").
ParsedArgs parse_args(std::span<const std::string> args, std::span<const OptionSpec> specs, const std::string& command);

}  // namespace tlsfault::cli
