// `tlsfault list`: the built-in scenarios by group, name and one line each; --markdown for docs.
#include "cli/arg_parser.hpp"
#include "cli/commands/commands.hpp"

#include "scenarios/builtin/builtin_catalogue.hpp"
#include "scenarios/builtin/scenario_text.hpp"

#include <algorithm>
#include <iostream>

namespace tlsfault::cli {
namespace {

void print_help() {
    std::cout << R"HELP(Usage: tlsfault list [--group GROUP] [--markdown]

Lists the scenarios built into tlsfault, grouped: field cases, certificates, TLS, network, HTTP.
Each line is the scenario's name and what the client sees. `tlsfault explain NAME` tells the
whole story; `tlsfault run NAME` starts it.

Options:
  --group GROUP  only this group: field-case, certificate, tls, network, http
  --markdown     the catalogue as a Markdown page (docs/catalogue.md is made with it)
  -h, --help     this text
)HELP";
}

}  // namespace

int run_list(std::span<const std::string> args) {
    const std::vector<OptionSpec> specs = {{"group"}, {"markdown", false}};
    ParsedArgs parsed = parse_args(args, specs, "list");
    if (parsed.has("help")) {
        print_help();
        return 0;
    }
    if (!parsed.positionals().empty()) throw UsageError("unexpected argument '" + parsed.positionals()[0] + "'; see tlsfault list --help");
    const auto& all = scenarios::builtin_scenarios();
    const auto group = parsed.get_optional("group");
    if (group) {
        auto groups = scenarios::scenario_groups();
        if (std::none_of(groups.begin(), groups.end(), [&](const auto& g) { return g.id == *group; }))
            throw UsageError("--group " + *group + ": use field-case, certificate, tls, network or http");
    }
    std::vector<std::shared_ptr<const scenarios::Scenario>> shown;
    for (const auto& s : all)
        if (!group || s->group == *group) shown.push_back(s);
    if (parsed.has("markdown")) {
        std::cout << scenarios::catalogue_markdown(shown);
        return 0;
    }
    std::size_t width = 0;
    for (const auto& s : shown) width = std::max(width, s->name.size());
    bool first = true;
    for (const auto& g : scenarios::scenario_groups()) {
        bool heading = false;
        for (const auto& s : shown) {
            if (s->group != g.id) continue;
            if (!heading) std::cout << (first ? "" : "\n") << g.heading << "\n";
            heading = true;
            first = false;
            std::string name = s->name;
            name.resize(width + 2, ' ');
            std::cout << "  " << name << s->title << "\n";
        }
    }
    return 0;
}

}  // namespace tlsfault::cli
