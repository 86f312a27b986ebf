// Running one sweep row: an engine with the row's scenario, then each client in turn; after each
// client, the new verdict for the row's host and the `expectation` of that same connection.
#include "tests/integration/scenarios_run/catalogue_sweep.hpp"

#include "scenarios/builtin/builtin_catalogue.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <cctype>
#include <memory>
#include <regex>
#include <set>
#include <thread>

namespace tlsfault::test::sweep {

std::string normalised(std::string text) {
    static const std::regex library_version("OpenSSL/[0-9][0-9a-z.]*: ");
    static const std::regex ssl_source_line("_ssl\\.c:[0-9]+");
    static const std::regex elapsed("after [0-9]+ milliseconds");
    text = std::regex_replace(text, library_version, "");
    text = std::regex_replace(text, ssl_source_line, "_ssl.c:N");
    return std::regex_replace(text, elapsed, "after N milliseconds");
}

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/// The text a row's `said` stands for: the scenario's own message, or the literal.
std::string expected_text(const Row& row, const Said& said) {
    if (said.message_client.empty()) return said.literal;
    if (auto scenario = scenarios::find_builtin_scenario(row.scenario))
        for (const auto& m : scenario->description.messages)
            if (m.client == said.message_client) return m.text;
    FAIL_CHECK("scenario " << row.scenario << " has no message for client '" << said.message_client << "'");
    return "(no such message)";
}

/// Whether `output` shows `text`; a status line ("< HTTP/1.1 403 CMGConnector_Forbidden") must
/// be the whole line, so the reason phrase is checked exactly, not as a prefix.
bool shows(const std::string& output, const std::string& text) {
    const bool status_line = text.starts_with("< HTTP/") || text.starts_with("HTTP/");
    for (auto at = output.find(text); at != std::string::npos; at = output.find(text, at + 1)) {
        const auto after = at + text.size();
        if (!status_line || after == output.size() || output[after] == '\r' || output[after] == '\n') return true;
    }
    return false;
}

std::vector<std::string> verdicts_for(const RunningEngine& engine, const std::string& host) {
    std::vector<std::string> found;
    for (const auto& line : engine.events())
        if (json_field(line, "event") == "verdict" && json_field(line, "host") == host) found.push_back(line);
    return found;
}

/// Waits (bounded) for verdicts for `host` beyond the first `before`: the client's connections.
std::vector<std::string> new_verdicts(const RunningEngine& engine, const std::string& host, std::size_t before) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    for (;;) {
        auto found = verdicts_for(engine, host);
        if (found.size() > before) return {found.begin() + static_cast<std::ptrdiff_t>(before), found.end()};
        if (std::chrono::steady_clock::now() >= end) return {};
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

/// The `expectation` events of these connections, once there is at least one (bounded wait). A
/// retrying client makes several connections; the last may meet a rule without an expect.
std::vector<std::string> expectations_of(const RunningEngine& engine, const std::vector<std::string>& verdicts) {
    std::set<std::string> conns;
    for (const auto& v : verdicts) conns.insert(json_field(v, "conn"));
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
        std::vector<std::string> found;
        for (const auto& line : engine.events())
            if (json_field(line, "event") == "expectation" && conns.count(json_field(line, "conn"))) found.push_back(line);
        if (!found.empty() || std::chrono::steady_clock::now() >= end) return found;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

std::vector<std::string> with_crl(std::vector<std::string> args, const std::string& crl_file) {
    for (auto& a : args)
        if (a == "{crl}") a = crl_file;
    return args;
}

ProcessResult run_client(const std::string& client, const RunningEngine& engine, const Row& row, const ClientRun& run,
                         const std::string& crl_file) {
    const std::string port = std::to_string(engine.sni_port());
    const std::string url = "https://" + row.host + row.path;
    auto extra = with_crl(run.args, crl_file);
    std::vector<std::string> argv;
    std::string input;
    if (client == "curl") {
        argv = {
            "curl", "-sS", "-v", "--max-time", "10", "--cacert", engine.root_pem(), "--connect-to", row.host + ":443:127.0.0.1:" + port};
        argv.insert(argv.end(), extra.begin(), extra.end());
        argv.push_back(url);
    } else if (client == "python3") {
        argv = {"python3", SWEEP_CLIENT, engine.root_pem(), port, url, "--timeout", "10"};
        argv.insert(argv.end(), extra.begin(), extra.end());
    } else {
        // -ign_eof: send the request, then read until tlsfault closes (Connection: close).
        argv = {"openssl", "s_client", "-connect",        "127.0.0.1:" + port,    "-servername",
                row.host,  "-CAfile",  engine.root_pem(), "-verify_return_error", "-verify_hostname",
                row.host,  "-ign_eof"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        input = !run.input.empty() ? run.input : "GET " + row.path + " HTTP/1.1\r\nHost: " + row.host + "\r\nConnection: close\r\n\r\n";
    }
    if (client != "openssl s_client") input = run.input;
    return run_process(argv, std::chrono::seconds(30), input);
}

/// One client against the engine: what it printed, then what tlsfault recorded for it.
void check_client(const std::string& client, const RunningEngine& engine, const Row& row, const ClientRun& run,
                  const std::string& crl_file) {
    const std::string host = lower(row.host);
    const std::string want = expected_text(row, run.said);
    const auto before = verdicts_for(engine, host).size();
    const auto start = std::chrono::steady_clock::now();
    auto r = run_client(client, engine, row, run, crl_file);
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    INFO("scenario " << row.scenario << ", client " << client << " (" << took << " ms), exit " << r.exit_code);
    INFO("output:\n" << r.all());
    CHECK_FALSE(r.timed_out);
    const std::string said = normalised(client == "curl" ? r.err : r.all());
    CHECK_MESSAGE(shows(said, normalised(want)), "expected to see: " << want);
    CHECK(took >= run.min_ms);

    const auto verdicts = new_verdicts(engine, host, before);
    CHECK_FALSE(verdicts.empty());
    if (verdicts.empty()) return;
    const std::string& verdict = verdicts.back();  // the client's last connection
    INFO("verdict: " << verdict);
    CHECK(json_field(verdict, "outcome") == run.outcome);
    CHECK(json_field(verdict, "alert") == run.alert);
    if (!run.sent_alert.empty()) CHECK(json_field(verdict, "sent_alert") == run.sent_alert);
    if (run.expectation.empty()) return;
    const auto judged = expectations_of(engine, verdicts);
    CHECK_MESSAGE(!judged.empty(), "no expectation event for the client's connections");
    for (const auto& line : judged) {
        INFO("expectation: " << line);
        CHECK(json_field(line, "result") == run.expectation);
    }
}

/// The row's CRLs, fetched after one look at the host's certificate (a CRL lists only the
/// revoked leaves minted so far), concatenated into one PEM file.
std::string fetch_crls(const RunningEngine& engine, const Row& row) {
    run_process({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(engine.sni_port()), "-servername", row.host},
                std::chrono::seconds(20));
    engine.verdict_for(lower(row.host));
    std::string pem;
    for (const auto& path : row.crls) {
        auto fetched = curl({"-w", "\n%{http_code}", "http://127.0.0.1:" + std::to_string(engine.revocation_port()) + path});
        CHECK_MESSAGE(fetched.out.ends_with("\n200"), path << ": " << fetched.all());
        pem += fetched.out.substr(0, fetched.out.rfind('\n'));
    }
    const std::string file = engine.dir() / "fetched.crl.pem";
    std::ofstream(file) << pem;
    return file;
}

}  // namespace

void run_row(const Row& row) {
    const std::vector<std::pair<std::string, const ClientRun*>> clients = {
        {"curl", &row.curl}, {"python3", &row.python}, {"openssl s_client", &row.s_client}};
    std::unique_ptr<RunningEngine> engine;
    std::string crl_file;
    for (const auto& [client, run] : clients) {
        if (!run->run) continue;
        if (!engine || row.engine_per_client) {
            engine = std::make_unique<RunningEngine>(std::vector<std::string>{row.scenario});
            if (!row.crls.empty()) crl_file = fetch_crls(*engine, row);
        }
        check_client(client, *engine, row, *run, crl_file);
    }
}

TEST_CASE("catalogue sweep: every catalogue scenario has exactly one row") {
    std::set<std::string> rows;
    for (const auto* table : {&field_case_rows(), &certificate_rows(), &tls_rows(), &network_rows(), &http_rows()})
        for (const auto& row : *table) {
            CHECK_MESSAGE(rows.insert(row.scenario).second, "two rows for " << row.scenario);
            CHECK_MESSAGE(scenarios::find_builtin_scenario(row.scenario), "no catalogue scenario " << row.scenario);
            CHECK_MESSAGE((row.curl.run && row.python.run), row.scenario << ": curl and python3 run for every scenario");
        }
    for (const auto& scenario : scenarios::builtin_scenarios())
        CHECK_MESSAGE(rows.count(scenario->name) == 1, "no sweep row for " << scenario->name);
}

}  // namespace tlsfault::test::sweep
