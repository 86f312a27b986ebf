// `tlsfault check`: runs a client command once per scenario against an engine (its own, or a
// running one through the control API), joins each run with tlsfault's verdict and the
// scenario's `expect`, and reports (table, JUnit, Markdown, JSON). docs/check.md.
#include "cli/arg_parser.hpp"
#include "cli/check/check_engine.hpp"
#include "cli/check/check_reports.hpp"
#include "cli/check/check_runner.hpp"
#include "cli/check/check_selection.hpp"
#include "cli/commands/commands.hpp"
#include "common/duration_text.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace tlsfault::cli {
namespace {

void print_help() {
    std::cout << R"HELP(Usage: tlsfault check (--scenario NAME ... | --group GROUP | --all) [options] -- CLIENT_COMMAND...

Runs CLIENT_COMMAND once per catalogue scenario against tlsfault and says, per scenario,
whether the client did what a correct client does (the scenario's `expect`, as tlsfault
judged it from the connection) — with the client's own exit status and first error lines
beside it. Exit status: 0 every scenario passed, 1 at least one failed (a client accepted what
it should reject, or the reverse), 2 bad usage or an engine that cannot be used.

Each scenario is activated alone, the client is run with the placeholders below expanded and
HTTPS_PROXY, https_proxy, HTTP_PROXY, http_proxy set to {proxy} (NO_PROXY to loopback), and
after it ends tlsfault's verdict is read from the API (connections/wait).

Placeholders in CLIENT_COMMAND:
  {url}        https://HOST[:PORT]/PATH: the scenario's first host, port and path (as explain shows)
  {host} {port} {path}   the parts of {url} (port 443 unless the scenario names another)
  {proxy}      http://127.0.0.1:PORT, the explicit proxy (CONNECT)
  {proxy_port} its port alone (Java: -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort={proxy_port})
  {sni_addr}   127.0.0.1:PORT, the TLS listener: connect there with SNI {host} (no proxy)
  {sni_port}   its port alone
  {ca}         the lab root CA certificate (PEM file) the client should trust
  {scenario}   the scenario's name

Which scenarios:
  --scenario NAME    a catalogue scenario (repeatable; run in the order given)
  --group GROUP      every scenario of a group: field-case, certificate, tls, network, http
  --all              the whole catalogue (tlsfault list)

Options:
  --timeout D        how long the client may run per scenario, then its process group is
                     killed [35s] (http-slow-response answers after 30 s)
  --junit FILE       JUnit XML: one testcase per scenario (classname = group)
  --markdown FILE    a Markdown report
  --json FILE        a JSON report with the client's whole output
  --api URL          use a running engine's control API (http://127.0.0.1:8081) instead of
                     starting one; its active scenarios are replaced while check runs
  --api-token T      that API's token (cat ~/.local/share/tlsfault/api-token)
  --state-dir DIR    the lab CA of the engine check starts [$XDG_DATA_HOME/tlsfault]
  -h, --help         this text

Without --api, check starts `tlsfault run` itself: every listener on a free 127.0.0.1 port,
a fresh API token, --upstream-mode origin (nothing is forwarded off the machine); it is
stopped when check ends. Progress goes to stderr: one line rewritten in place on a terminal,
one line per finished scenario otherwise. The table goes to stdout.

Example:
  tlsfault check --all --junit check.xml -- curl -sS --cacert {ca} -x {proxy} {url}
)HELP";
}

/// Splits `args` at the first "--": options before, the client command after.
std::pair<std::vector<std::string>, std::vector<std::string>> split_command(std::span<const std::string> args) {
    const auto dashes = std::find(args.begin(), args.end(), std::string("--"));
    std::vector<std::string> options(args.begin(), dashes);
    std::vector<std::string> command(dashes == args.end() ? dashes : dashes + 1, args.end());
    return {options, command};
}

std::chrono::milliseconds timeout_option(const ParsedArgs& parsed) {
    const auto text = parsed.get_optional("timeout");
    if (!text) return std::chrono::seconds(35);
    const auto value = parse_duration(*text, BareNumber::rejected);  // as in scenario files: the unit is required
    if (const auto* error = std::get_if<std::string>(&value)) throw UsageError("--timeout " + *text + ": " + *error);
    const auto d = std::get<std::chrono::milliseconds>(value);
    if (d.count() == 0) throw UsageError("--timeout " + *text + ": give a positive duration such as 10s");
    return d;
}

/// Checks a report path before anything runs: its folder must exist.
void check_report_path(const ParsedArgs& parsed, const std::string& name) {
    const auto path = parsed.get_optional(name);
    if (!path) return;
    const auto folder = std::filesystem::absolute(*path).parent_path();
    if (!std::filesystem::is_directory(folder))
        throw UsageError("--" + name + " " + *path + ": folder " + folder.string() + " does not exist");
}

/// Writes a report whole: into FILE.tmp, then renamed over FILE.
template <typename Writer>
void write_report(const ParsedArgs& parsed, const std::string& name, Writer writer) {
    const auto path = parsed.get_optional(name);
    if (!path) return;
    const std::string tmp = *path + ".tmp";
    {
        std::ofstream out(tmp);
        writer(out);
        if (!out) throw std::runtime_error("--" + name + " " + *path + ": cannot write");
    }
    std::filesystem::rename(tmp, *path);
}

/// Runs every scenario in turn, with the progress line on stderr (rewritten in place on a
/// terminal; one line per finished scenario otherwise, for CI logs).
std::vector<check::ScenarioOutcome> run_all(const check::CheckRunner& runner, const std::vector<check::CheckScenario>& selected,
                                            check::RunSummary& summary) {
    const bool tty = isatty(STDERR_FILENO);
    std::vector<check::ScenarioOutcome> outcomes;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < selected.size(); ++i) {
        const std::string counter = "[" + std::to_string(i + 1) + "/" + std::to_string(selected.size()) + "] ";
        if (tty) std::cerr << "\r\033[Kcheck " << counter << selected[i].name << " ..." << std::flush;
        outcomes.push_back(runner.run(selected[i]));
        const auto& o = outcomes.back();
        if (!tty)
            std::cerr << "check " << counter << o.scenario.name << ": " << check::result_name(o) << " (" << o.verdict << "; client "
                      << check::exit_text(o.client) << ")\n";
    }
    if (tty) std::cerr << "\r\033[K" << std::flush;
    summary.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return outcomes;
}

}  // namespace

int run_check(std::span<const std::string> args) {
    auto [option_args, command] = split_command(args);
    const std::vector<OptionSpec> specs = {{"scenario", true, true},
                                           {"group"},
                                           {"all", false},
                                           {"junit"},
                                           {"markdown"},
                                           {"json"},
                                           {"timeout"},
                                           {"api"},
                                           {"api-token"},
                                           {"state-dir"}};
    ParsedArgs parsed = parse_args(option_args, specs, "check");
    if (parsed.has("help")) {
        print_help();
        return 0;
    }
    if (!parsed.positionals().empty())
        throw UsageError("unexpected argument '" + parsed.positionals()[0] +
                         "': put the client command after --; see tlsfault check --help");
    if (command.empty()) throw UsageError("no client command: put it after --, e.g. -- curl -sS --cacert {ca} -x {proxy} {url}");
    check::check_placeholders(command);
    const auto selected = check::select_scenarios(parsed.get_all("scenario"), parsed.get_optional("group"), parsed.has("all"));
    const auto timeout = timeout_option(parsed);
    if (parsed.has("api") != parsed.has("api-token")) throw UsageError("--api and --api-token go together; see tlsfault check --help");
    if (parsed.has("api") && parsed.has("state-dir"))
        throw UsageError("--state-dir is for the engine check starts; with --api the running engine has its own");
    for (const char* report : {"junit", "markdown", "json"}) check_report_path(parsed, report);

    check::CheckEngine engine(parsed.get_optional("api"), parsed.get("api-token"), parsed.get("state-dir"));
    const check::CheckRunner runner(engine.api(), engine.placeholders(), command, timeout);
    check::RunSummary summary{.client = {}, .engine = engine.description()};
    for (const auto& a : command) summary.client += (summary.client.empty() ? "" : " ") + a;

    const auto outcomes = run_all(runner, selected, summary);
    check::write_table(std::cout, outcomes, summary);
    write_report(parsed, "junit", [&](std::ostream& out) { check::write_junit(out, outcomes, summary); });
    write_report(parsed, "markdown", [&](std::ostream& out) { check::write_markdown(out, outcomes, summary); });
    write_report(parsed, "json", [&](std::ostream& out) { check::write_json(out, outcomes, summary); });
    return std::none_of(outcomes.begin(), outcomes.end(), [](const auto& o) { return check::is_failure(o); }) ? 0 : 1;
}

}  // namespace tlsfault::cli
