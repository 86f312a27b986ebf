// The reports of `tlsfault check`: the console table, JUnit XML (one testsuite, one testcase
// per scenario, classname = the scenario's group), Markdown and JSON.
#pragma once

#include "cli/check/check_types.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace tlsfault::cli::check {

/// What every report says about the run as a whole.
struct RunSummary {
    std::string client;  ///< the client command as given (placeholders unexpanded)
    std::string engine;  ///< "own engine (tlsfault run on 127.0.0.1:0)" or the --api URL
    double elapsed_s = 0;
};

/// scenario | verdict | client (exit) | client message | result, then the totals.
void write_table(std::ostream& out, const std::vector<ScenarioOutcome>& outcomes, const RunSummary& summary);
void write_junit(std::ostream& out, const std::vector<ScenarioOutcome>& outcomes, const RunSummary& summary);
void write_markdown(std::ostream& out, const std::vector<ScenarioOutcome>& outcomes, const RunSummary& summary);
void write_json(std::ostream& out, const std::vector<ScenarioOutcome>& outcomes, const RunSummary& summary);

/// A fail: neither passed nor left out as not judged (a not-judged scenario does not fail the run).
bool is_failure(const ScenarioOutcome& o);
/// "pass", "fail" or "not_judged".
std::string result_name(const ScenarioOutcome& o);

/// "exit 60", "timeout", "not run".
std::string exit_text(const ClientOutcome& client);

/// `text` with every byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string valid_utf8(const std::string& text);

/// `text` made safe for XML character data and attributes (control characters dropped).
std::string xml_escaped(const std::string& text);

}  // namespace tlsfault::cli::check
