#include "cli/check/check_selection.hpp"

#include "cli/arg_parser.hpp"
#include "cli/check/check_runner.hpp"
#include "common/did_you_mean.hpp"
#include "scenarios/builtin/builtin_catalogue.hpp"
#include "scenarios/builtin/scenario_text.hpp"

#include <algorithm>

namespace tlsfault::cli::check {
namespace {

CheckScenario from_catalogue(const scenarios::Scenario& s) {
    CheckScenario c;
    c.name = s.name;
    c.group = s.group;
    const auto target = scenarios::scenario_target(s);
    c.host = target.host;
    c.port = target.port;
    c.path = target.path;
    c.url = target.url;
    for (const auto& rule : s.rules) {
        if (!rule.expect) continue;
        if (c.expected.empty()) c.expected = scenarios::describe(*rule.expect);
        c.retry_then_succeed |= rule.expect->outcome == scenarios::Expect::Outcome::retry_then_succeed;
    }
    if (c.expected.empty()) c.expected = "(no expect)";
    return c;
}

}  // namespace

std::vector<CheckScenario> select_scenarios(const std::vector<std::string>& names, const std::optional<std::string>& group, bool all) {
    const int ways = (names.empty() ? 0 : 1) + (group ? 1 : 0) + (all ? 1 : 0);
    if (ways == 0) throw UsageError("say which scenarios: --scenario NAME (repeatable), --group GROUP or --all; see tlsfault check --help");
    if (ways > 1) throw UsageError("give only one of --scenario, --group and --all; see tlsfault check --help");
    std::vector<CheckScenario> out;
    for (const auto& name : names) {
        const auto s = scenarios::find_builtin_scenario(name);
        if (!s) {
            const auto hint = scenarios::closest_builtin_scenario(name);
            throw UsageError("--scenario " + name + ": no such catalogue scenario" +
                             (hint.empty() ? "" : "; did you mean '" + hint + "'?") + " (tlsfault list shows them)");
        }
        out.push_back(from_catalogue(*s));
    }
    if (group) {
        const auto groups = scenarios::scenario_groups();
        if (std::none_of(groups.begin(), groups.end(), [&](const auto& g) { return g.id == *group; }))
            throw UsageError("--group " + *group + ": use field-case, certificate, tls, network or http");
    }
    if (group || all)
        for (const auto& s : scenarios::builtin_scenarios())
            if (all || s->group == *group) out.push_back(from_catalogue(*s));
    return out;
}

void check_placeholders(const std::vector<std::string>& command) {
    std::vector<std::string_view> known;
    for (const auto& n : placeholder_names()) known.push_back(n);
    for (const auto& arg : command) {
        for (auto open = arg.find('{'); open != std::string::npos; open = arg.find('{', open + 1)) {
            const auto close = arg.find('}', open);
            if (close == std::string::npos) break;
            const std::string word = arg.substr(open + 1, close - open - 1);
            if (std::find(known.begin(), known.end(), word) != known.end()) continue;
            if (const auto near = closest_word(word, known); !near.empty() && (open == 0 || arg[open - 1] != '%'))
                throw UsageError("the client command's {" + word + "} is no placeholder; did you mean {" + near +
                                 "}? (see tlsfault check --help)");
        }
    }
}

}  // namespace tlsfault::cli::check
