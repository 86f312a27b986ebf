#include "cli/arg_parser.hpp"

#include <algorithm>
#include <charconv>

namespace tlsfault::cli {

std::string ParsedArgs::get(const std::string& name, const std::string& fallback) const {
    auto it = values_.find(name);
    return it == values_.end() || it->second.empty() ? fallback : it->second.back();
}

std::optional<std::string> ParsedArgs::get_optional(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> ParsedArgs::get_all(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

long ParsedArgs::get_int(const std::string& name, long fallback, long min, long max) const {
    auto text = get_optional(name);
    if (!text) return fallback;
    long value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || end != text->data() + text->size() || value < min || value > max)
        throw UsageError("--" + name + " " + *text + ": expected a whole number from " + std::to_string(min) + " to " +
                         std::to_string(max));
    return value;
}

ParsedArgs parse_args(std::span<const std::string> args, std::span<const OptionSpec> specs, const std::string& command) {
    ParsedArgs parsed;
    auto find_spec = [&](const std::string& name) -> const OptionSpec* {
        auto it = std::find_if(specs.begin(), specs.end(), [&](const OptionSpec& s) { return s.name == name; });
        return it == specs.end() ? nullptr : &*it;
    };
    bool options_done = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (options_done || arg.size() < 2 || arg[0] != '-') {
            parsed.positionals_.push_back(arg);
            continue;
        }
        if (arg == "--") {
            options_done = true;
            continue;
        }
        if (arg == "-h" || arg == "--help") {
            parsed.values_["help"].push_back("");
            continue;
        }
        if (arg.rfind("--", 0) != 0)
            throw UsageError("unknown option " + arg + " (options are spelled --name); see tlsfault " + command + " --help");
        std::string name = arg.substr(2);
        std::optional<std::string> inline_value;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inline_value = name.substr(eq + 1);
            name.resize(eq);
        }
        const OptionSpec* spec = find_spec(name);
        if (!spec) throw UsageError("unknown option --" + name + "; see tlsfault " + command + " --help");
        std::string value;
        if (spec->takes_value) {
            if (inline_value) {
                value = *inline_value;
            } else if (i + 1 < args.size()) {
                value = args[++i];
            } else {
                throw UsageError("--" + name + " needs a value; see tlsfault " + command + " --help");
            }
        } else if (inline_value) {
            throw UsageError("--" + name + " is a flag and takes no value");
        }
        auto& slot = parsed.values_[name];
        if (!slot.empty() && !spec->repeatable) throw UsageError("--" + name + " given twice; it takes one value");
        slot.push_back(value);
    }
    return parsed;
}

}  // namespace tlsfault::cli
