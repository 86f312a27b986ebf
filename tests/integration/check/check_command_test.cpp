// `tlsfault check` end to end: the real binary starts its own engine (or uses a running one),
// runs real clients (curl, curl -k) per scenario, and its exit status, table and reports are
// checked — the JUnit file with python3's xml.etree, the way CI reporters read it.
#include "tests/integration/engine/engine_fixture.hpp"

#include "scenarios/builtin/builtin_catalogue.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace tlsfault::test {
namespace {

const std::vector<std::string> kCurl = {"curl", "-sS", "--cacert", "{ca}", "-x", "{proxy}", "{url}"};

/// One testcase of a JUnit file as junit_summary.py read it.
struct JunitCase {
    std::string classname, result, output, message;
};
struct Junit {
    std::string header;
    std::map<std::string, JunitCase> cases;  ///< by scenario name
    std::size_t count = 0;
};

Junit read_junit(const std::string& file) {
    auto r = run_process({"python3", CHECK_TEST_DIR "/junit_summary.py", file}, std::chrono::seconds(20));
    INFO(r.all());
    REQUIRE(r.exit_code == 0);
    Junit junit;
    std::istringstream in(r.out);
    std::getline(in, junit.header);
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        JunitCase c;
        std::string name;
        fields >> c.classname >> name >> c.result >> c.output;
        std::getline(fields, c.message);
        junit.cases[name] = c;
        ++junit.count;
    }
    return junit;
}

/// `tlsfault check` with a fresh state directory in `dir` (so the lab CA is the test's own).
ProcessResult check(const TempDir& dir, std::vector<std::string> options, const std::vector<std::string>& client,
                    std::chrono::seconds deadline = std::chrono::seconds(120)) {
    std::vector<std::string> argv = {tlsfault_binary(), "check", "--state-dir", dir / "state"};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.push_back("--");
    argv.insert(argv.end(), client.begin(), client.end());
    return run_process(argv, deadline);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// The scenario lines `tlsfault list` prints (two-space indent).
std::size_t listed_scenarios() {
    auto r = run_process({tlsfault_binary(), "list"});
    std::size_t n = 0;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) n += line.starts_with("  ");
    return n;
}

}  // namespace

TEST_CASE("check --all with curl: one JUnit testcase per catalogue scenario, failures only where curl does what it should not") {
    TempDir dir;
    const auto start = std::chrono::steady_clock::now();
    auto r = check(dir, {"--all", "--timeout", "35s", "--junit", dir / "j.xml"}, kCurl, std::chrono::seconds(280));
    const auto took = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count();
    INFO("took " << took << " s; output:\n" << r.all());
    CHECK_FALSE(r.timed_out);
    CHECK(r.exit_code == 1);  // curl does not retry (http-503-then-ok) nor check revocation
    const auto junit = read_junit(dir / "j.xml");
    const auto scenarios = scenarios::builtin_scenarios().size();
    CHECK(junit.count == scenarios);
    CHECK(junit.count == listed_scenarios());
    CHECK(junit.header.starts_with("testsuites=1 tests=" + std::to_string(scenarios)));
    for (const auto& s : scenarios::builtin_scenarios()) {
        INFO(s->name);
        REQUIRE(junit.cases.count(s->name) == 1);
        CHECK(junit.cases.at(s->name).classname == s->group);
        CHECK(junit.cases.at(s->name).output == "out");  // the client's command line and output
    }
    // curl verifies certificates and names: each of these passes...
    for (const char* name : {"cert-expired", "cert-self-signed", "cert-wrong-host", "cert-untrusted-root", "cert-good",
                             "cert-missing-intermediate", "cmg-forbidden", "handshake-reset", "net-reset"}) {
        INFO(name << ": " << junit.cases.at(name).message);
        CHECK(junit.cases.at(name).result == "pass");
    }
    // ...but it makes one attempt and never asks about revocation.
    CHECK(junit.cases.at("http-503-then-ok").result == "fail");
    CHECK(junit.cases.at("http-503-then-ok").message.find("retry") != std::string::npos);
    CHECK(junit.cases.at("revoked-ocsp").result == "fail");
    CHECK(r.out.find("FAIL http-503-then-ok (policy: retry): ") != std::string::npos);
}

TEST_CASE("check: a scenario whose expectation is not about the client is not judged: neither pass nor fail, exit 0") {
    // dotnet-tls-server-too-new judges a client offering TLS 1.2 at most; curl offers 1.3.
    TempDir dir;
    auto r = check(dir, {"--scenario", "dotnet-tls-server-too-new", "--junit", dir / "j.xml", "--json", dir / "r.json"}, kCurl);
    INFO(r.all());
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("0 passed, 0 failed, 1 not judged") != std::string::npos);
    CHECK(r.out.find("NOT JUDGED dotnet-tls-server-too-new: tlsfault did not judge this client: this expectation judges a client "
                     "offering TLS 1.2 at most; this one offered TLS 1.3") != std::string::npos);
    CHECK(r.err.find("check [1/1] dotnet-tls-server-too-new: not_judged") != std::string::npos);
    const auto junit = read_junit(dir / "j.xml");
    CHECK(junit.header.find("failures=0") != std::string::npos);
    CHECK(junit.cases.at("dotnet-tls-server-too-new").result == "skipped");
    auto parsed = run_process({"python3", "-c",
                               "import json,sys; d=json.load(open(sys.argv[1])); "
                               "print(d['passed'], d['failed'], d['not_judged'], d['results'][0]['result'], d['results'][0]['verdict'])",
                               dir / "r.json"});
    CHECK(parsed.out == "0 0 1 not_judged accepted (HTTP 200)\n");
}

TEST_CASE("check: a client that retries to the sequence's own success passes (curl --retry 3)") {
    // The engine writes the sequence's pass on the attempt that succeeded; check counts that, not
    // whichever answer came last.
    TempDir dir;
    auto client = kCurl;
    client.insert(client.begin() + 1, {"--retry", "3", "--retry-delay", "1"});
    auto r = check(dir, {"--scenario", "http-503-then-ok", "--scenario", "lync-data-store-unavailable", "--json", dir / "r.json"}, client);
    INFO(r.all());
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("2 passed, 0 failed") != std::string::npos);
    auto parsed = run_process({"python3", "-c",
                               "import json,sys; d=json.load(open(sys.argv[1])); "
                               "print(' '.join(x['result'] + ':' + x['verdict'] for x in d['results']))",
                               dir / "r.json"});
    CHECK(parsed.out == "pass:accepted (HTTP 200) pass:accepted (HTTP 200)\n");  // curl retries on its kept-alive connection
}

TEST_CASE("check with curl -k: exit 1, and the JUnit failures name the scenarios curl accepted") {
    TempDir dir;
    auto client = kCurl;
    client.insert(client.begin() + 1, "-k");
    auto r = check(
        dir, {"--scenario", "cert-expired", "--scenario", "cert-self-signed", "--scenario", "cert-good", "--junit", dir / "j.xml"}, client);
    INFO(r.all());
    CHECK(r.exit_code == 1);
    const auto junit = read_junit(dir / "j.xml");
    CHECK(junit.count == 3);
    CHECK(junit.header.find("failures=2") != std::string::npos);
    for (const char* name : {"cert-expired", "cert-self-signed"}) {
        INFO(name);
        CHECK(junit.cases.at(name).result == "fail");
        CHECK(junit.cases.at(name).message.find("expected: reject") != std::string::npos);
        CHECK(junit.cases.at(name).message.find("tlsfault saw: accepted (HTTP 200)") != std::string::npos);
    }
    CHECK(junit.cases.at("cert-good").result == "pass");
    CHECK(r.out.find("FAIL cert-expired: expected: reject with certificate_expired") != std::string::npos);
}

TEST_CASE("check --scenario cert-expired --scenario cert-good with curl: exit 0, table and the Markdown and JSON reports") {
    TempDir dir;
    auto r =
        check(dir, {"--scenario", "cert-expired", "--scenario", "cert-good", "--markdown", dir / "r.md", "--json", dir / "r.json"}, kCurl);
    INFO(r.all());
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("alert certificate_expired") != std::string::npos);
    CHECK(r.out.find("curl: (60) SSL certificate problem: certificate has expired") != std::string::npos);
    CHECK(r.out.find("2 passed, 0 failed") != std::string::npos);
    CHECK(r.err.find("check [2/2] cert-good: pass") != std::string::npos);  // progress (stderr is no TTY here)
    const auto md = read_file(dir / "r.md");
    CHECK(md.find("| cert-expired | reject with certificate_expired") != std::string::npos);
    auto parsed =
        run_process({"python3", "-c",
                     "import json,sys; d=json.load(open(sys.argv[1])); "
                     "print(d['passed'], d['failed'], [(x['scenario'], x['result'], x['client']['exit_code']) for x in d['results']])",
                     dir / "r.json"});
    INFO(parsed.all());
    CHECK(parsed.out == "2 0 [('cert-expired', 'pass', 60), ('cert-good', 'pass', 0)]\n");
}

TEST_CASE("check: a client's bytes that are not UTF-8 still give well-formed JSON and JUnit") {
    TempDir dir;
    auto r = check(dir, {"--scenario", "cert-good", "--json", dir / "r.json", "--junit", dir / "j.xml"},
                   {"bash", "-c", "curl -sS --cacert {ca} -x {proxy} {url} >/dev/null; printf 'bad \\377\\376 bytes\\001\\n' >&2"});
    INFO(r.all());
    CHECK(r.exit_code == 0);
    auto parsed = run_process(
        {"python3", "-c", "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['client']['stderr'])", dir / "r.json"});
    CHECK(parsed.out == "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes\x01\n\n");
    CHECK(read_junit(dir / "j.xml").cases.at("cert-good").result == "pass");
}

TEST_CASE("check: a client past --timeout is ended and judged by what tlsfault saw (net-blackhole)") {
    TempDir dir;
    auto r = check(dir, {"--scenario", "net-blackhole", "--timeout", "2s"}, kCurl);
    INFO(r.all());
    CHECK(r.exit_code == 0);  // blackhole expects the client to give up: reject [timeout]
    CHECK(r.out.find("ended after the 2") != std::string::npos);
    CHECK(r.out.find(" timeout ") != std::string::npos);
}

TEST_CASE("check: a client that never reaches tlsfault fails with the reason") {
    TempDir dir;
    auto r = check(dir, {"--scenario", "cert-good"}, {"true"});
    INFO(r.all());
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("tlsfault saw no connection for this scenario") != std::string::npos);
}

TEST_CASE("check --api: drives a running engine through its control API") {
    RunningEngine engine;
    const std::string api = "http://127.0.0.1:" + std::to_string(engine.api_port());
    auto r = run_process({tlsfault_binary(), "check", "--api", api, "--api-token", engine.api_token(), "--scenario", "cert-expired", "--",
                          "curl", "-sS", "--cacert", "{ca}", "-x", "{proxy}", "{url}"},
                         std::chrono::seconds(60));
    INFO(r.all());
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("cert-expired") != std::string::npos);
    // The verdict came from this engine: its own event log has the connection, judged pass.
    const auto judged = engine.wait_for_event("expectation", "\"result\":\"pass\"");
    CHECK(json_field(judged, "scenario") == "cert-expired");

    auto wrong =
        run_process({tlsfault_binary(), "check", "--api", api, "--api-token", "wrong", "--scenario", "cert-expired", "--", "true"});
    CHECK(wrong.exit_code == 2);
    CHECK(wrong.err.find("--api-token: the engine at " + api + " refused it (401)") != std::string::npos);
}

TEST_CASE("check: bad usage exits 2 with one line naming the problem, and writes no report") {
    TempDir dir;
    const std::string junit = dir / "j.xml";
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"check", "--scenario", "cert-expired"}, "no client command: put it after --"},
        {{"check", "--junit", junit, "--", "curl", "{url}"}, "say which scenarios: --scenario NAME"},
        {{"check", "--all", "--group", "tls", "--", "curl"}, "give only one of --scenario, --group and --all"},
        {{"check", "--scenario", "cert-expird", "--junit", junit, "--", "curl"},
         "--scenario cert-expird: no such catalogue scenario; did you mean 'cert-expired'?"},
        {{"check", "--group", "certs", "--", "curl"}, "--group certs: use field-case, certificate, tls, network or http"},
        {{"check", "--all", "--timeout", "5", "--", "curl"}, "--timeout 5: "},
        {{"check", "--all", "--api", "http://127.0.0.1:1", "--", "curl"}, "--api and --api-token go together"},
        {{"check", "--all", "--", "curl", "--cacert", "{cae}", "{url}"}, "{cae} is no placeholder; did you mean {ca}?"},
        {{"check", "--all", "--junit", dir / "no/such/folder/j.xml", "--", "curl"}, "folder " + dir / "no/such/folder" + " does not exist"},
        {{"check", "--all", "--bogus", "--", "curl"}, "--bogus"},
    };
    for (const auto& [args, message] : cases) {
        std::vector<std::string> argv = {tlsfault_binary()};
        argv.insert(argv.end(), args.begin(), args.end());
        auto r = run_process(argv, std::chrono::seconds(20));
        INFO(args.size() << " args; stderr: " << r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.starts_with("tlsfault: "));
        CHECK(r.err.find(message) != std::string::npos);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK(r.out.empty());
    }
    CHECK_FALSE(std::filesystem::exists(junit));
}

TEST_CASE("check --help documents every placeholder and the exit statuses") {
    auto r = run_process({tlsfault_binary(), "check", "--help"});
    CHECK(r.exit_code == 0);
    for (const char* text : {"{url}", "{host}", "{port}", "{path}", "{proxy}", "{proxy_port}", "{sni_addr}", "{sni_port}", "{ca}",
                             "{scenario}", "--junit FILE", "--markdown FILE", "--json FILE", "--timeout D", "--api URL", "Exit status: 0"})
        CHECK_MESSAGE(r.out.find(text) != std::string::npos, text);
}

}  // namespace tlsfault::test
