// Report writers. Every report lists the scenarios in the order they ran; the JUnit file is
// shaped the way Jenkins, GitLab and GitHub's test reporters read it (failures with a message).
#include "cli/check/check_reports.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace tlsfault::cli::check {
namespace {

std::size_t failures(const std::vector<ScenarioOutcome>& outcomes) {
    return static_cast<std::size_t>(std::count_if(outcomes.begin(), outcomes.end(), [](const auto& o) { return is_failure(o); }));
}

std::size_t not_judged(const std::vector<ScenarioOutcome>& outcomes) {
    return static_cast<std::size_t>(std::count_if(outcomes.begin(), outcomes.end(), [](const auto& o) { return o.not_judged; }));
}

std::size_t passes(const std::vector<ScenarioOutcome>& outcomes) { return outcomes.size() - failures(outcomes) - not_judged(outcomes); }

/// "3 passed, 1 failed, 2 not judged": not judged is neither (the expectation is not about this client).
std::string counts(const std::vector<ScenarioOutcome>& outcomes) {
    std::string text = std::to_string(passes(outcomes)) + " passed, " + std::to_string(failures(outcomes)) + " failed";
    if (const auto n = not_judged(outcomes)) text += ", " + std::to_string(n) + " not judged";
    return text;
}

/// The result column: pass, FAIL (policy), not judged.
std::string result_text(const ScenarioOutcome& o, const char* fail_text) {
    if (o.passed) return "pass";
    if (o.not_judged) return "not judged";
    return std::string(fail_text) + (o.policy.empty() ? "" : " (policy: " + o.policy + ")");
}

std::string clipped(std::string text, std::size_t width) {
    if (text.size() > width) text = text.substr(0, width - 3) + "...";
    return text;
}

std::string padded(std::string text, std::size_t width) {
    text.resize(std::max(width, text.size()), ' ');
    return text;
}

std::string seconds(double s) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(2) << s;
    return out.str();
}

std::string md_cell(std::string text) {
    std::string out;
    for (char c : text) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n')
            out += ' ';
        else
            out += c;
    }
    return out.empty() ? " " : "`" + out + "`";
}

std::string command_line(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
    return out;
}

/// The length of the valid UTF-8 sequence at `i`, or 0.
std::size_t utf8_sequence(const std::string& text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    const std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > text.size()) return 0;
    for (std::size_t k = 1; k < length; ++k)
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    return length;
}

}  // namespace

bool is_failure(const ScenarioOutcome& o) { return !o.passed && !o.not_judged; }

std::string result_name(const ScenarioOutcome& o) { return o.passed ? "pass" : o.not_judged ? "not_judged" : "fail"; }

std::string valid_utf8(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const auto length = utf8_sequence(text, i);
        if (length == 0) {
            out += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not UTF-8 (a client's binary output)
            ++i;
        } else {
            out.append(text, i, length);
            i += length;
        }
    }
    return out;
}

std::string exit_text(const ClientOutcome& client) {
    if (!client.started) return "not run";
    if (client.timed_out) return "timeout";
    return client.exit_code < 0 ? "signal" : "exit " + std::to_string(client.exit_code);
}

std::string xml_escaped(const std::string& text) {
    std::string out;
    for (unsigned char c : valid_utf8(text)) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default:
            if (c >= 0x20 || c == '\n' || c == '\t') out += static_cast<char>(c);  // XML 1.0 forbids the rest
        }
    }
    return out;
}

void write_table(std::ostream& out, const std::vector<ScenarioOutcome>& outcomes, const RunSummary& summary) {
    std::size_t name_w = 8, verdict_w = 7;
    for (const auto& o : outcomes) {
        name_w = std::max(name_w, o.scenario.name.size());
        verdict_w = std::max(verdict_w, std::min<std::size_t>(o.verdict.size(), 40));
    }
    out << padded("scenario", name_w) << "  " << padded("verdict", verdict_w) << "  " << padded("client", 9)
        << "  result  client message\n";
    for (const auto& o : outcomes)
        out << padded(o.scenario.name, name_w) << "  " << padded(clipped(o.verdict, 40), verdict_w) << "  "
            << padded(exit_text(o.client), 9) << "  "
            << padded(o.passed       ? "pass"
                      : o.not_judged ? "n/j"
                                     : "FAIL",
                      6)
            << "  " << clipped(o.client.message, 100) << "\n";
    out << "\n" << counts(outcomes) << " (" << seconds(summary.elapsed_s) << " s; client: " << summary.client << ")\n";
    if (not_judged(outcomes))
        out << "  (not judged, n/j: neither pass nor fail; the scenario's expectation is about another kind of client)\n";
    for (const auto& o : outcomes)
        if (!o.passed)
            out << "  " << (o.not_judged ? "NOT JUDGED " : "FAIL ") << o.scenario.name
                << (o.policy.empty() ? "" : " (policy: " + o.policy + ")") << ": " << o.reason << "\n";
}

void write_junit(std::ostream& out, const std::vector<ScenarioOutcome>& outcomes, const RunSummary& summary) {
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << "<testsuites name=\"tlsfault check\" tests=\"" << outcomes.size() << "\" failures=\"" << failures(outcomes) << "\" time=\""
        << seconds(summary.elapsed_s) << "\">\n";
    out << "  <testsuite name=\"tlsfault check\" tests=\"" << outcomes.size() << "\" failures=\"" << failures(outcomes)
        << "\" errors=\"0\" skipped=\"" << not_judged(outcomes) << "\" time=\"" << seconds(summary.elapsed_s) << "\">\n";
    out << "    <properties><property name=\"client\" value=\"" << xml_escaped(summary.client) << "\"/>"
        << "<property name=\"engine\" value=\"" << xml_escaped(summary.engine) << "\"/></properties>\n";
    for (const auto& o : outcomes) {
        out << "    <testcase classname=\"" << xml_escaped(o.scenario.group) << "\" name=\"" << xml_escaped(o.scenario.name) << "\" time=\""
            << seconds(o.client.elapsed_s) << "\">\n";
        if (o.not_judged) out << "      <skipped message=\"" << xml_escaped(o.reason) << "\"/>\n";
        if (is_failure(o))
            out << "      <failure message=\"" << xml_escaped(o.reason) << "\" type=\"expectation\">" << xml_escaped(o.reason)
                << "\ntlsfault verdict: " << xml_escaped(o.verdict) << "\nclient " << xml_escaped(exit_text(o.client)) << ": "
                << xml_escaped(o.client.message) << "</failure>\n";
        out << "      <system-out>" << xml_escaped("$ " + command_line(o.client.argv) + "\n" + exit_text(o.client) + "\n" + o.client.out)
            << "</system-out>\n";
        out << "      <system-err>" << xml_escaped(o.client.err) << "</system-err>\n";
        out << "    </testcase>\n";
    }
    out << "  </testsuite>\n</testsuites>\n";
}

void write_markdown(std::ostream& out, const std::vector<ScenarioOutcome>& outcomes, const RunSummary& summary) {
    out << "# tlsfault check\n\nClient: `" << summary.client << "`; engine: " << summary.engine << "; " << counts(outcomes) << " in "
        << seconds(summary.elapsed_s)
        << " s.\n\n| scenario | expected | tlsfault verdict | client | client message | result |\n|---|---|---|---|---|---|\n";
    for (const auto& o : outcomes)
        out << "| " << o.scenario.name << " | " << o.scenario.expected << " | " << md_cell(o.verdict) << " | " << exit_text(o.client)
            << " | " << md_cell(o.client.message) << " | " << result_text(o, "**FAIL**") << " |\n";
    if (failures(outcomes) + not_judged(outcomes) == 0) return;
    out << "\n## Failures and scenarios not judged\n\n";
    for (const auto& o : outcomes)
        if (!o.passed) out << "- **" << o.scenario.name << "** (" << result_text(o, "fail") << "): " << o.reason << "\n";
}

void write_json(std::ostream& out, const std::vector<ScenarioOutcome>& outcomes, const RunSummary& summary) {
    namespace json = boost::json;
    json::array results;
    for (const auto& o : outcomes) {
        json::array argv;
        for (const auto& a : o.client.argv) argv.emplace_back(a);
        results.push_back(json::object{{"scenario", o.scenario.name},
                                       {"group", o.scenario.group},
                                       {"url", o.scenario.url},
                                       {"expected", o.scenario.expected},
                                       {"verdict", o.verdict},
                                       {"expectation", o.expectation},
                                       {"connections", o.connections},
                                       {"result", result_name(o)},
                                       {"policy", o.policy},
                                       {"why", o.why},
                                       {"reason", o.reason},
                                       {"client", json::object{{"argv", argv},
                                                               {"exit_code", o.client.exit_code},
                                                               {"timed_out", o.client.timed_out},
                                                               {"started", o.client.started},
                                                               {"message", valid_utf8(o.client.message)},
                                                               {"elapsed_s", o.client.elapsed_s},
                                                               {"stdout", valid_utf8(o.client.out)},
                                                               {"stderr", valid_utf8(o.client.err)}}}});
    }
    json::object top{{"client", summary.client},   {"engine", summary.engine},     {"elapsed_s", summary.elapsed_s},
                     {"passed", passes(outcomes)}, {"failed", failures(outcomes)}, {"not_judged", not_judged(outcomes)},
                     {"results", results}};
    out << json::serialize(top) << "\n";
}

}  // namespace tlsfault::cli::check
