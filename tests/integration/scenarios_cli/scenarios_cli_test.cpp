// `tlsfault validate`, `list` and `explain` through the real binary: exit codes, one-line
// errors, output from any working directory, and nothing written.
#include "tests/support/process.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace tlsfault::test;
namespace fs = std::filesystem;

namespace {

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

const std::string good_yaml =
    "name: my-case\ntitle: Mine\ndescription: {symptom: s, cause: c, fix: f}\nrules:\n"
    "  - match: {host: api.example.test}\n    certificate: expired\n    expect: {reject: certificate_expired}\n";

std::size_t count_lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

std::size_t entries(const std::string& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::recursive_directory_iterator(dir)) ++n;
    return n;
}

}  // namespace

TEST_CASE("validate: a good file prints one ok line and exits 0") {
    TempDir dir;
    write(dir / "good.yaml", good_yaml);
    auto r = run_process({tlsfault_binary(), "validate", dir / "good.yaml"});
    CHECK(r.exit_code == 0);
    CHECK(r.out == dir / "good.yaml" + ": ok (my-case, 1 rule)\n");
    CHECK(r.err.empty());
}

TEST_CASE("validate: every problem of every bad file, one line each, exit 2, nothing written") {
    TempDir dir;
    write(dir / "good.yaml", good_yaml);
    write(dir / "bad.yaml",
          "name: bad\ntitle: Bad\ndescription: {symptom: s, cause: c, fix: f}\nrules:\n"
          "  - certificate: expird\n    tls: {alert: unknwon_ca}\n");
    const std::size_t before = entries(dir.path());
    auto r = run_process({tlsfault_binary(), "validate", dir / "good.yaml", dir / "bad.yaml"});
    CHECK(r.exit_code == 2);
    CHECK(r.out == dir / "good.yaml" + ": ok (my-case, 1 rule)\n");
    CHECK(r.err == dir / "bad.yaml" + ":5:18: rules[0].certificate: unknown certificate profile 'expird'; did you mean 'expired'?\n" +
                       dir / "bad.yaml" + ":6:18: rules[0].tls.alert: unknown alert 'unknwon_ca'; did you mean 'unknown_ca'?\n");
    CHECK(entries(dir.path()) == before);
}

TEST_CASE("validate: a missing file and no arguments") {
    auto missing = run_process({tlsfault_binary(), "validate", "/nonexistent/x.yaml"});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err == "/nonexistent/x.yaml: cannot read the file\n");
    auto none = run_process({tlsfault_binary(), "validate"});
    CHECK(none.exit_code == 2);
    CHECK(none.err == "tlsfault: give at least one scenario file (or --builtin); see tlsfault validate --help\n");
}

TEST_CASE("validate --builtin: the embedded catalogue is valid") {
    auto r = run_process({tlsfault_binary(), "validate", "--builtin"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.find("scenarios/catalogue/cmg-forbidden.yaml: ok (cmg-forbidden, 1 rule)\n") != std::string::npos);
    CHECK(count_lines(r.out) >= 60);
}

TEST_CASE("list: grouped, from any working directory") {
    TempDir elsewhere;
    auto r = run_process({"/bin/sh", "-c", "cd '" + elsewhere.path() + "' && exec '" + tlsfault_binary() + "' list"});
    REQUIRE(r.exit_code == 0);
    const auto field = r.out.find("Field cases\n");
    const auto certs = r.out.find("\nCertificates\n");
    const auto tls = r.out.find("\nTLS\n");
    const auto network = r.out.find("\nNetwork\n");
    const auto http = r.out.find("\nHTTP\n");
    CHECK(field == 0);
    CHECK(field < certs);
    CHECK(certs < tls);
    CHECK(tls < network);
    CHECK(network < http);
    CHECK(http != std::string::npos);
    auto line = r.out.find("  cmg-forbidden ");
    REQUIRE(line != std::string::npos);
    CHECK(line < certs);
    CHECK(r.out.find("403 CMGConnector_Forbidden", line) < r.out.find('\n', line));
    CHECK(r.out.find("  cert-expired ") > certs);
}

TEST_CASE("list: --group and --markdown, and bad options exit 2") {
    auto net = run_process({tlsfault_binary(), "list", "--group", "network"});
    CHECK(net.exit_code == 0);
    CHECK(net.out.rfind("Network\n", 0) == 0);
    CHECK(net.out.find("cmg-") == std::string::npos);
    auto md = run_process({tlsfault_binary(), "list", "--markdown"});
    CHECK(md.exit_code == 0);
    CHECK(md.out.rfind("# The scenario catalogue\n", 0) == 0);
    CHECK(md.out.find("| `cmg-invalid-token` |") != std::string::npos);
    auto bad = run_process({tlsfault_binary(), "list", "--group", "dns"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err == "tlsfault: --group dns: use field-case, certificate, tls, network or http\n");
}

TEST_CASE("explain: training text, exact messages, run and curl lines") {
    auto r = run_process({tlsfault_binary(), "explain", "cmg-invalid-token"});
    REQUIRE(r.exit_code == 0);
    for (const char* part : {"cmg-invalid-token — CMG: 401 CMGService_Invalid_Token", "\nSymptom\n", "\nCause\n", "\nFix\n",
                             "[CCMHTTP] ERROR INFO: StatusCode=401 StatusText=CMGService_Invalid_Token",
                             "  tlsfault run cmg-invalid-token\n", "'https://CMGSERVER.CLOUDAPP.NET/CCM_Proxy_ServerAuth/ServiceMetadata'"})
        CHECK_MESSAGE(r.out.find(part) != std::string::npos, part);
}

TEST_CASE("explain: a file, a misspelt name, and help") {
    TempDir dir;
    write(dir / "mine.yaml", good_yaml);
    auto file = run_process({tlsfault_binary(), "explain", dir / "mine.yaml"});
    CHECK(file.exit_code == 0);
    CHECK(file.out.rfind("my-case — Mine\n", 0) == 0);
    auto typo = run_process({tlsfault_binary(), "explain", "cmg-forbiden"});
    CHECK(typo.exit_code == 2);
    CHECK(typo.err == "cmg-forbiden: no such scenario file or built-in scenario; did you mean 'cmg-forbidden'?\n");
    for (const char* command : {"validate", "list", "explain"}) {
        auto help = run_process({tlsfault_binary(), command, "--help"});
        CHECK(help.exit_code == 0);
        CHECK(help.out.rfind(std::string("Usage: tlsfault ") + command, 0) == 0);
    }
}

TEST_CASE("list --markdown: docs/catalogue.md is up to date") {
    std::ifstream in(std::string(TLSFAULT_SOURCE_DIR) + "/docs/catalogue.md");
    REQUIRE(in);
    std::stringstream committed;
    committed << in.rdbuf();
    auto r = run_process({tlsfault_binary(), "list", "--markdown"});
    REQUIRE(r.exit_code == 0);
    CHECK_MESSAGE(r.out == committed.str(), "regenerate it: tlsfault list --markdown > docs/catalogue.md");
}
