// `tlsfault run --bundle DIR`: the folder and its .tar.gz after a real run with curl and python3
// clients, then `tlsfault run DIR` replaying it with the same verdicts for the same commands;
// `--with-keys` (the replay serves the bundle's CA); bad input; `tlsfault run FOLDER`.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <thread>

using namespace tlsfault::test;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

/// python3's urllib through the explicit proxy, trusting `cafile`: prints the status or the error.
ProcessResult python_get(const RunningEngine& e, const std::string& cafile, const std::string& host) {
    const std::string script =
        "import ssl, sys, urllib.request, urllib.error\n"
        "ctx = ssl.create_default_context(cafile=sys.argv[2])\n"
        "opener = urllib.request.build_opener(urllib.request.ProxyHandler({'https': 'http://127.0.0.1:' + sys.argv[1]}),\n"
        "                                     urllib.request.HTTPSHandler(context=ctx))\n"
        "try:\n"
        "    print('status', opener.open('https://' + sys.argv[3] + '/', timeout=10).status)\n"
        "except urllib.error.HTTPError as e:\n"
        "    print('HTTPError', e.code, e.reason)\n"
        "except urllib.error.URLError as e:\n"
        "    print('URLError', e.reason)\n";
    return run_process({"python3", "-c", script, std::to_string(e.proxy_port()), cafile, host}, std::chrono::seconds(20));
}

/// The client commands of the repro: curl to cert-expired on the SNI listener, python3 to
/// http-500 through the proxy. Checks what each client said; returns the two verdict lines.
std::vector<std::string> run_clients(const RunningEngine& e, const std::string& cafile) {
    auto expired = curl({"--cacert", cafile, "--connect-to", connect_to(e, "expired.tlsfault.test"), "https://expired.tlsfault.test/"});
    CHECK(expired.exit_code == 60);
    CHECK_MESSAGE(contains(expired.err, "certificate has expired"), expired.all());
    auto http500 = python_get(e, cafile, "http-500.tlsfault.test");
    CHECK_MESSAGE(contains(http500.out, "HTTPError 500 Internal Server Error"), http500.all());
    return {e.verdict_for("expired.tlsfault.test"), e.verdict_for("http-500.tlsfault.test")};
}

/// Waits up to 15 s for `needle` to appear in file `path`.
bool wait_for_text(const std::string& path, const std::string& needle) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < end) {
        if (contains(read_text(path), needle)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling a file: nothing to wait on
    }
    return false;
}

/// outcome/alert/host of a verdict line: what a replay must reproduce.
std::string verdict_key(const std::string& line) {
    return json_field(line, "host") + " " + json_field(line, "outcome") + " " + json_field(line, "alert");
}

/// Every line of `file` is one JSON object (python3's json module says so); returns the count.
int json_lines(const std::string& file) {
    auto r = run_process(
        {"python3", "-c", "import json, sys\nn = 0\nfor line in open(sys.argv[1]):\n    json.loads(line); n += 1\nprint(n)", file});
    REQUIRE_MESSAGE(r.exit_code == 0, r.all());
    return std::stoi(r.out);
}

}  // namespace

TEST_CASE("bundle: --bundle writes the folder and its tar.gz on SIGTERM, and a second run replays it with the same verdicts") {
    TempDir out;
    const std::string bundle = out / "repro";
    std::vector<std::string> first;
    {
        RunningEngine e({"--bundle", bundle, "cert-expired", "http-500"});
        first = run_clients(e, e.root_pem());
        CHECK(contains(e.console(), "repro bundle    " + bundle));  // the banner is whole once connections are served
        CHECK(json_field(first[0], "alert") == "certificate_expired");
        CHECK(json_field(first[1], "outcome") == "accepted");
        auto summary = json_field(e.wait_for_event("close", "http-500.tlsfault.test"), "summary");
        CHECK(contains(summary, "GET / -> 500"));
        // While the run goes, the README is rewritten with the connections finished so far.
        CHECK(wait_for_text(bundle + "/README.md", "GET / -> 500"));
        CHECK(contains(read_text(bundle + "/README.md"), "The run is still going"));
        REQUIRE(e.process().stop() == 0);
        CHECK(contains(e.console(), "repro bundle written: " + bundle + " and " + bundle + ".tar.gz"));
    }
    CHECK(contains(read_text(bundle + "/scenarios/01-cert-expired.yaml"), "name: cert-expired"));
    CHECK(contains(read_text(bundle + "/scenarios/02-http-500.yaml"), "name: http-500"));
    CHECK(contains(read_text(bundle + "/ca/root.pem"), "BEGIN CERTIFICATE"));
    CHECK(fs::exists(bundle + "/ca/intermediate.pem"));
    for (const auto& entry : fs::directory_iterator(bundle + "/ca")) CHECK_MESSAGE(entry.path().extension() != ".key", entry.path());
    CHECK(json_lines(bundle + "/events.jsonl") >= 6);  // listen, accept, verdict, close ... shutdown, stopped
    CHECK(contains(read_text(bundle + "/keylog.txt"), "CLIENT_HANDSHAKE_TRAFFIC_SECRET"));
    const auto readme = read_text(bundle + "/README.md");
    CHECK(contains(readme, "sni expired.tlsfault.test [expired] -> alert certificate_expired"));
    CHECK(contains(readme, "proxy http-500.tlsfault.test"));
    CHECK(contains(readme, "GET / -> 500"));
    CHECK(contains(readme, "curl: (60) SSL certificate problem: certificate has expired"));  // the catalogue's client message
    CHECK(contains(readme, "written without `--with-keys`"));
    CHECK_FALSE(contains(readme, "The run is still going"));
    CHECK(contains(read_text(bundle + "/bundle.json"), "\"ca_keys\": false"));
    CHECK(fs::status(bundle + "/replay.sh").permissions() ==
          (fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec));
    auto listing = run_process({"tar", "tzf", bundle + ".tar.gz"});
    REQUIRE(listing.exit_code == 0);
    for (const char* entry : {"repro/README.md", "repro/events.jsonl", "repro/keylog.txt", "repro/bundle.json", "repro/replay.sh",
                              "repro/ca/root.pem", "repro/scenarios/01-cert-expired.yaml"})
        CHECK_MESSAGE(contains(listing.out, entry), entry);
    CHECK_FALSE(contains(listing.out, ".key"));
    CHECK_FALSE(contains(listing.out, ".tmp"));

    // The replay: a fresh state directory (so the local lab CA, as the banner says), the same clients.
    RunningEngine replay({bundle});
    auto second = run_clients(replay, replay.root_pem());
    CHECK(contains(replay.console(), "replaying       " + bundle));
    CHECK(contains(replay.console(), "serves the LOCAL lab CA"));
    CHECK(contains(replay.console(), "scenario        cert-expired"));
    CHECK(contains(replay.console(), "scenario        http-500"));
    CHECK(verdict_key(second[0]) == verdict_key(first[0]));
    CHECK(verdict_key(second[1]) == verdict_key(first[1]));
}

TEST_CASE("bundle: --with-keys puts the CA keys in the bundle and its replay serves that CA") {
    TempDir out;
    const std::string bundle = out / "keyed";
    {
        RunningEngine e({"--bundle", bundle, "--with-keys", "--proxy-auth", "lab:s3cret", "http-500"});
        auto r = curl(
            {"-f", "--cacert", e.root_pem(), "--connect-to", connect_to(e, "http-500.tlsfault.test"), "https://http-500.tlsfault.test/"});
        CHECK(r.exit_code == 22);
        e.verdict_for("http-500.tlsfault.test");
        REQUIRE(e.process().stop() == 0);
    }
    CHECK(contains(read_text(bundle + "/ca/root.key"), "PRIVATE KEY"));
    CHECK(fs::status(bundle + "/ca/root.key").permissions() == (fs::perms::owner_read | fs::perms::owner_write));
    CHECK(contains(read_text(bundle + "/bundle.json"), "\"ca_keys\": true"));
    CHECK_FALSE(contains(read_text(bundle + "/bundle.json"), "s3cret"));  // a password is never recorded
    CHECK_FALSE(contains(read_text(bundle + "/README.md"), "s3cret"));
    CHECK(contains(read_text(bundle + "/README.md"), "--proxy-auth USER:***"));
    CHECK(contains(run_process({"tar", "tzf", bundle + ".tar.gz"}).out, "keyed/ca/root.key"));

    RunningEngine replay({bundle});
    // Trusting the bundle's root is enough: the replay's certificates chain to it ...
    auto trusted = curl({"-f", "--cacert", bundle + "/ca/root.pem", "--connect-to", connect_to(replay, "http-500.tlsfault.test"),
                         "https://http-500.tlsfault.test/"});
    CHECK_MESSAGE(trusted.exit_code == 22, trusted.all());
    CHECK(contains(trusted.err, "returned error: 500"));
    CHECK(json_field(replay.verdict_for("http-500.tlsfault.test"), "outcome") == "accepted");
    CHECK(contains(replay.console(), "the bundle's own CA"));
    // ... and not to another root (the bundle's rogue root stands for any other CA).
    auto other = curl({"-f", "--cacert", bundle + "/ca/rogue-root.pem", "--connect-to", connect_to(replay, "http-500.tlsfault.test"),
                       "https://http-500.tlsfault.test/"});
    CHECK_MESSAGE(other.exit_code == 60, other.all());
    CHECK_FALSE(fs::exists(replay.dir() / "state/ca/root.pem"));  // the replaying machine's CA was not even created
}

TEST_CASE("bundle: bad input is one clear line, exit 2, and nothing written") {
    TempDir dir;
    fs::create_directories(dir / "taken");
    std::ofstream(dir / "taken/notes.txt") << "mine\n";
    auto taken = run_process({tlsfault_binary(), "run", "--state-dir", dir / "state", "--bundle", dir / "taken", "cert-expired"});
    CHECK(taken.exit_code == 2);
    CHECK(contains(taken.err, "already exists and is not an empty folder"));
    CHECK(fs::exists(dir / "taken/notes.txt"));
    CHECK_FALSE(fs::exists(dir / "taken/bundle.json"));

    auto keys_alone = run_process({tlsfault_binary(), "run", "--with-keys", "cert-expired"});
    CHECK(keys_alone.exit_code == 2);
    CHECK(contains(keys_alone.err, "--with-keys only applies with --bundle DIR"));

    // A port already taken: the engine cannot start, and the new bundle folder is removed again.
    RunningEngine busy;
    auto unbound = run_process({tlsfault_binary(), "run", "--state-dir", dir / "state", "--bundle", dir / "never", "--sni-listen",
                                "127.0.0.1:" + std::to_string(busy.sni_port()), "--proxy-listen", "off", "--revocation-listen", "off"});
    CHECK(unbound.exit_code == 2);
    CHECK_FALSE(fs::exists(dir / "never"));

    fs::create_directories(dir / "broken");
    std::ofstream(dir / "broken/bundle.json") << "{\n  \"scenarios\": [\"scenarios/01-missing.yaml\"]\n}\n";
    auto broken = run_process({tlsfault_binary(), "run", "--state-dir", dir / "state", dir / "broken"});
    CHECK(broken.exit_code == 2);
    CHECK_MESSAGE(
        contains(broken.err, "broken/bundle.json:2:17: scenarios[0]: 'scenarios/01-missing.yaml' is missing from the bundle folder"),
        broken.err);
    auto mixed = run_process({tlsfault_binary(), "run", "--state-dir", dir / "state", dir / "broken", "cert-expired"});
    CHECK(mixed.exit_code == 2);
    CHECK(contains(mixed.err, "it replays alone"));
}

TEST_CASE("run FOLDER: every *.yaml in it, sorted by name, and an empty folder is refused") {
    TempDir dir;
    fs::create_directories(dir / "lab");
    TempDir scratch;
    write_scenario(scratch, "b-second", "  - match: {host: second.test}\n    http: {status: 202}\n");
    write_scenario(scratch, "a-first", "  - match: {host: first.test}\n    http: {status: 201}\n");
    fs::copy_file(scratch / "b-second.yaml", dir / "lab/b-second.yaml");
    fs::copy_file(scratch / "a-first.yaml", dir / "lab/a-first.yaml");
    std::ofstream(dir / "lab/notes.txt") << "not a scenario\n";
    RunningEngine e({dir / "lab"});
    const auto console = e.console();
    REQUIRE(contains(console, "scenario        a-first"));
    CHECK(console.find("scenario        a-first") < console.find("scenario        b-second"));
    auto second =
        curl({"-k", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--connect-to", connect_to(e, "second.test"), "https://second.test/"});
    CHECK(second.out == "202");
    CHECK(json_field(e.verdict_for("second.test"), "outcome") == "accepted");

    fs::create_directories(dir / "empty");
    auto empty = run_process({tlsfault_binary(), "run", "--state-dir", dir / "state", dir / "empty"});
    CHECK(empty.exit_code == 2);
    CHECK(contains(empty.err, "a scenario folder with no *.yaml file"));
}
