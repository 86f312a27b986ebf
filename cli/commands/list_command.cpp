// `tlsfault list`: the built-in scenarios by group, name and one line each; --markdown for docs;
// --faults for the fault kinds, read from the fault registry.
#include "cli/arg_parser.hpp"
#include "cli/commands/commands.hpp"

#include "scenarios/builtin/builtin_catalogue.hpp"
#include "scenarios/builtin/scenario_text.hpp"
#include "scenarios/model/faults/fault_registry.hpp"

#include <algorithm>
#include <iostream>

namespace tlsfault::cli {
namespace {

void print_help() {
    std::cout << R"HELP(Usage: tlsfault list [--group GROUP] [--markdown]
       tlsfault list --faults

Lists the scenarios built into tlsfault, grouped: field cases, certificates, TLS, network, HTTP.
Each line is the scenario's name and what the client sees. `tlsfault explain NAME` tells the
whole story; `tlsfault run NAME` starts it.

Options:
  --group GROUP  only this group: field-case, certificate, tls, network, http
  --markdown     the catalogue as a Markdown page (docs/catalogue.md is made with it)
  --faults       the fault kinds a scenario rule can use: each `tcp` type and each `tls` key,
                 with its attributes and defaults (docs/scenarios.md tells more)
  -h, --help     this text
)HELP";
}

/// One kind: "  latency  delay every chunk by latency ± jitter" then its attributes.
void print_fault_kind(const scenarios::FaultKind& kind, std::size_t width) {
    std::string name(kind.layer == scenarios::FaultLayer::tls ? "tls." + std::string(kind.tls.key) : std::string(kind.name));
    name.resize(width + 2, ' ');
    std::cout << "  " << name << kind.summary;
    if (kind.layer == scenarios::FaultLayer::tls) std::cout << " (" << kind.name << ")";
    std::cout << "\n";
    for (const auto& a : kind.attributes)
        std::cout << std::string(width + 6, ' ') << a.name << " (" << a.unit << ", "
                  << (a.default_value.empty() ? "required" : "default " + std::string(a.default_value)) << "): " << a.doc << "\n";
}

/// The fault registry, tcp kinds (entries of a rule's `tcp` list) then tls kinds (`tls` keys).
void print_fault_kinds() {
    const auto kinds = scenarios::builtin_fault_registry().kinds();
    std::size_t width = 0;
    for (const auto& k : kinds) width = std::max(width, k.layer == scenarios::FaultLayer::tls ? k.tls.key.size() + 4 : k.name.size());
    std::cout << "tcp faults (a rule's `tcp` list: {type: NAME, ...})\n";
    for (const auto& k : kinds)
        if (k.layer == scenarios::FaultLayer::tcp) print_fault_kind(k, width);
    std::cout << "\ntls faults (keys of a rule's `tls`, right after the ClientHello)\n";
    for (const auto& k : kinds)
        if (k.layer == scenarios::FaultLayer::tls) print_fault_kind(k, width);
}

}  // namespace

int run_list(std::span<const std::string> args) {
    const std::vector<OptionSpec> specs = {{"group"}, {"markdown", false}, {"faults", false}};
    ParsedArgs parsed = parse_args(args, specs, "list");
    if (parsed.has("help")) {
        print_help();
        return 0;
    }
    if (!parsed.positionals().empty()) throw UsageError("unexpected argument '" + parsed.positionals()[0] + "'; see tlsfault list --help");
    if (parsed.has("faults")) {
        if (parsed.has("group") || parsed.has("markdown")) throw UsageError("--faults goes alone; see tlsfault list --help");
        print_fault_kinds();
        return 0;
    }
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
