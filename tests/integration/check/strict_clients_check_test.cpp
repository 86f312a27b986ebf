// `tlsfault check` with the two strict clients of scripts/error-atlas that need their own trust
// store: headless Chromium (scripts/error-atlas.d/chromium_get.js: playwright-core, the lab root in
// an NSS database, tlsfault's explicit proxy) and Mono's HttpWebRequest (HttpsGet.cs compiled with
// mcs, the lab root put in Mono's user store by cert-sync). Each asserts, per scenario, the client's
// own message and the verdict tlsfault recorded. A missing chromium, node, playwright-core, mono,
// mcs or cert-sync is a failure that names it, never a skip.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <map>
#include <sstream>

namespace tlsfault::test {
namespace {

/// One scenario of a `check --json` report, as the test reads it.
struct Result {
    std::string result, policy, verdict, message;
};

/// The per-scenario results of a `check --json` report, read with python3's json.
std::map<std::string, Result> read_results(const std::string& json_file) {
    auto r = run_process({"python3", "-c",
                          "import json,sys\n"
                          "for x in json.load(open(sys.argv[1]))['results']:\n"
                          "    print(x['scenario'], x['result'], x['policy'], x['verdict'], x['client']['message'], sep='\\t')",
                          json_file});
    INFO(r.all());
    REQUIRE(r.exit_code == 0);
    std::map<std::string, Result> results;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        std::string name;
        Result result;
        std::getline(fields, name, '\t');
        std::getline(fields, result.result, '\t');
        std::getline(fields, result.policy, '\t');
        std::getline(fields, result.verdict, '\t');
        std::getline(fields, result.message);
        results[name] = result;
    }
    return results;
}

/// `check` over `scenarios` with `client`, its lab CA in `state`.
std::map<std::string, Result> check_scenarios(const TempDir& dir, const std::string& state, const std::vector<std::string>& client,
                                              const std::vector<std::string>& scenarios) {
    std::vector<std::string> argv = {tlsfault_binary(), "check", "--state-dir", state, "--json", dir / "r.json"};
    for (const auto& s : scenarios) argv.insert(argv.end(), {"--scenario", s});
    argv.push_back("--");
    argv.insert(argv.end(), client.begin(), client.end());
    auto r = run_process(argv, std::chrono::seconds(150));
    INFO(r.all());
    REQUIRE_FALSE(r.timed_out);
    REQUIRE(r.exit_code != 2);  // 0 or 1: the engine ran and every scenario was judged
    auto results = read_results(dir / "r.json");
    REQUIRE(results.size() == scenarios.size());
    return results;
}

/// `check` over cert-expired, cert-good and cert-wrong-host with `client`, its lab CA in `state`.
std::map<std::string, Result> check_three(const TempDir& dir, const std::string& state, const std::vector<std::string>& client) {
    return check_scenarios(dir, state, client, {"cert-expired", "cert-good", "cert-wrong-host"});
}

/// Every result on one line each, for the failure output.
std::string summary(const std::map<std::string, Result>& results) {
    std::string text;
    for (const auto& [name, r] : results) text += name + ": " + r.result + " | " + r.verdict + " | " + r.message + "\n";
    return text;
}

/// One scenario's row: the client's own message, tlsfault's judgement and, for a fail a client
/// policy explains, the policy it named.
void check_row(const std::map<std::string, Result>& results, const std::string& name, const std::string& message, const std::string& result,
               const std::string& policy = {}) {
    INFO(name);
    const auto& r = results.at(name);
    CHECK(r.message == message);
    CHECK(r.result == result);
    if (!policy.empty()) CHECK(r.policy == policy);
}

/// Creates the lab CA in `state` and returns its PEM file.
std::string lab_ca(const std::string& state) {
    REQUIRE(run_process({tlsfault_binary(), "ca", "init", "--state-dir", state}).exit_code == 0);
    auto path = run_process({tlsfault_binary(), "ca", "path", "--state-dir", state});
    REQUIRE(path.exit_code == 0);
    return path.out.substr(0, path.out.find('\n'));
}

}  // namespace

TEST_CASE("check with Chromium (lab root in NSS, explicit proxy): net::ERR_CERT_* messages and tlsfault's verdicts") {
    TempDir dir;
    auto results =
        check_three(dir, dir / "state", {STRICT_CLIENTS_NODE, STRICT_CLIENTS_DIR "/chromium_get.js", "{url}", "{proxy_port}", "{ca}"});
    INFO(summary(results));

    const auto& good = results.at("cert-good");
    CHECK(good.message == "HTTP 200 OK");
    CHECK(good.verdict.find("accepted (HTTP 200)") != std::string::npos);
    CHECK(good.result == "pass");
    // Chromium rejects with certificate_unknown whatever the certificate's fault; its net error
    // names the fault. (Whether `expect` calls that rejection a pass is the catalogue's business.)
    const auto& expired = results.at("cert-expired");
    CHECK(expired.message == "net::ERR_CERT_DATE_INVALID");
    CHECK(expired.verdict.find("alert certificate_unknown") != std::string::npos);
    const auto& wrong_host = results.at("cert-wrong-host");
    CHECK(wrong_host.message == "net::ERR_CERT_COMMON_NAME_INVALID");
    CHECK(wrong_host.verdict.find("alert certificate_unknown") != std::string::npos);
    CHECK(wrong_host.result == "pass");
}

/// Mono's client command: HttpsGet.cs compiled into `dir`, the lab root of `state` in its own HOME.
std::vector<std::string> mono_client(const TempDir& dir, const std::string& state) {
    const std::string home = dir / "home", exe = dir / "HttpsGet.exe";
    auto compiled = run_process({"mcs", "-nologo", "-out:" + exe, STRICT_CLIENTS_DIR "/HttpsGet.cs"}, std::chrono::seconds(60));
    INFO("mcs (apt-get install mono-mcs): " << compiled.all());
    REQUIRE(compiled.exit_code == 0);
    const std::vector<std::string> env = {"env", "HOME=" + home, "XDG_CONFIG_HOME=" + home + "/.config"};
    auto trusted = run_process({env[0], env[1], env[2], "cert-sync", "--user", lab_ca(state)});
    INFO("cert-sync (apt-get install ca-certificates-mono): " << trusted.all());
    REQUIRE(trusted.exit_code == 0);

    auto client = env;
    client.insert(client.end(), {"mono", exe, "{url}", "{proxy_port}"});
    return client;
}

TEST_CASE("check with Mono HttpWebRequest (lab root by cert-sync --user): TrustFailure messages and tlsfault's verdicts") {
    TempDir dir;
    const std::string state = dir / "state";
    auto results = check_three(dir, state, mono_client(dir, state));
    INFO(summary(results));

    const auto& good = results.at("cert-good");
    CHECK(good.message == "HTTP 200 OK");
    CHECK(good.verdict.find("accepted (HTTP 200)") != std::string::npos);
    CHECK(good.result == "pass");
    // Mono (BTLS) ends a handshake it distrusts with a TCP reset, no alert.
    for (const char* name : {"cert-expired", "cert-wrong-host"}) {
        const auto& r = results.at(name);
        INFO(name);
        CHECK(r.message.starts_with("System.Net.WebException: Error: TrustFailure"));
        CHECK(r.message.find("CERTIFICATE_VERIFY_FAILED") != std::string::npos);
        CHECK(r.verdict.find("reset") != std::string::npos);
        CHECK(r.result == "pass");
    }
}

TEST_CASE("check with Mono: the TLS 1.2 client dotnet-tls-server-too-new judges passes, and TLS 1.0 accepted fails by policy legacy_tls") {
    TempDir dir;
    const std::string state = dir / "state";
    auto results = check_scenarios(dir, state, mono_client(dir, state), {"dotnet-tls-server-too-new", "tls10-only"});
    INFO(summary(results));
    const auto& too_new = results.at("dotnet-tls-server-too-new");
    CHECK(too_new.result == "pass");
    CHECK(too_new.verdict.find("sent protocol_version") != std::string::npos);
    CHECK(too_new.message.find("TLSV1_ALERT_PROTOCOL_VERSION") != std::string::npos);
    check_row(results, "tls10-only", "HTTP 200 OK", "fail", "legacy_tls");  // Mono 6.8 still speaks TLS 1.0
}

TEST_CASE(
    "check with Chromium: dotnet-tls-server-too-new is not judged (it offers TLS 1.3), revoked-crl accepted fails by policy revocation, "
    "a 503 it never retries fails by policy retry though its favicon got 200") {
    TempDir dir;
    auto results =
        check_scenarios(dir, dir / "state", {STRICT_CLIENTS_NODE, STRICT_CLIENTS_DIR "/chromium_get.js", "{url}", "{proxy_port}", "{ca}"},
                        {"dotnet-tls-server-too-new", "revoked-crl", "lync-data-store-unavailable"});
    INFO(summary(results));
    check_row(results, "dotnet-tls-server-too-new", "HTTP 200 OK", "not_judged");
    // Chromium fetches no CRL for a certificate under a local root: it accepts, and tlsfault says why.
    check_row(results, "revoked-crl", "HTTP 200 OK", "fail", "revocation");
    // Chromium shows the 503 and does not retry; its favicon request on the same connection is
    // answered 200, which is not the sequence's success.
    check_row(results, "lync-data-store-unavailable", "HTTP 503 Data store unavailable", "fail", "retry");
}

TEST_CASE(
    "check with Chromium requiring online revocation checks (managed policy in a private mount namespace): it fetches the CRL or OCSP "
    "and says net::ERR_CERT_REVOKED, and tlsfault judges that rejection pass after fetching") {
    TempDir dir;
    auto results = check_scenarios(
        dir, dir / "state",
        {"env", "NODE=" STRICT_CLIENTS_NODE, "sh", STRICT_CLIENTS_DIR "/chromium_revocation_get.sh", "{url}", "{proxy_port}", "{ca}"},
        {"revoked-crl", "revoked-ocsp", "cert-good", "ocsp-trylater"});
    INFO(summary(results));
    for (const char* name : {"revoked-crl", "revoked-ocsp"}) {
        check_row(results, name, "net::ERR_CERT_REVOKED", "pass");
        CHECK(results.at(name).verdict.starts_with("alert certificate_unknown"));
    }
    // The whole chain checks out online (the intermediate's status from the root's responder too).
    check_row(results, "cert-good", "HTTP 200 OK", "pass");
    // A responder that answers tryLater: soft-fail clients connect, this one refuses (hard-fail),
    // which is its policy, named, not an unexplained fail.
    check_row(results, "ocsp-trylater", "net::ERR_CERT_UNABLE_TO_CHECK_REVOCATION", "fail", "revocation");
}

}  // namespace tlsfault::test
