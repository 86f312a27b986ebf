// Files a scenario names (body_file, PEM chain certificates) are read when it loads: a bad one is
// a load error at its key; connections never open them (deleted after the load, they are still
// served); an edit of one reloads the scenario, a failed reload keeps the bytes already loaded.
// And the leaf cache: an inline certificate edited in a reloaded scenario is minted afresh.
// Real engine, real curl and openssl s_client; every wait is on an event line, with a deadline.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using namespace tlsfault::test;

namespace {

const std::string host = "named.example.test";

void write_file(const std::string& file, const std::string& text) { std::ofstream(file, std::ios::trunc | std::ios::binary) << text; }

/// A self-signed CA certificate with CN `cn`, as a PEM file at `file` (the openssl CLI).
void make_pem(const std::string& dir, const std::string& file, const std::string& cn) {
    auto r = run_process({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                          dir + "/extra.key", "-subj", "/CN=" + cn, "-days", "30", "-out", file},
                         std::chrono::seconds(20));
    REQUIRE_MESSAGE(r.exit_code == 0, r.all());
}

/// Rules answering `host` with body_file body.html, sending extra.pem after the lab chain.
std::string rules(const std::string& body_file = "body.html") {
    return "  - match: {host: " + host +
           "}\n"
           "    chain: {extra: [extra.pem]}\n"
           "    http:\n"
           "      status: 200\n"
           "      body_file: " +
           body_file + "\n";
}

/// The body curl got for https://named.example.test/ (or "curl exit N: ...").
std::string body_served(const RunningEngine& e) {
    auto r = curl({"-k", "--connect-to", host + ":443:127.0.0.1:" + std::to_string(e.sni_port()), "https://" + host + "/"});
    if (r.exit_code != 0) return "curl exit " + std::to_string(r.exit_code) + ": " + r.err;
    return r.out;
}

/// The subjects of every certificate the engine sends for `name` (openssl s_client -showcerts).
std::string served_subjects(const RunningEngine& e, const std::string& name) {
    auto r =
        run_process({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(e.sni_port()), "-servername", name, "-showcerts"},
                    std::chrono::seconds(20), "");
    std::string subjects;
    for (auto at = r.out.find(" s:"); at != std::string::npos; at = r.out.find(" s:", at + 1))
        subjects += r.out.substr(at + 3, r.out.find('\n', at) - at - 3) + "\n";
    return subjects;
}

/// A scenario directory with body.html and extra.pem.
struct NamedFiles {
    NamedFiles() {
        write_file(dir / "body.html", "first body\n");
        make_pem(dir.path(), dir / "extra.pem", "Named Extra CA");
    }
    TempDir dir;
};

}  // namespace

TEST_CASE("named files: a missing, unparsable or oversized body_file or chain PEM is a load error at its key, exit 2") {
    NamedFiles files;
    const auto& dir = files.dir;
    struct Case {
        std::string name, rules, error;
    };
    write_file(dir / "not-a-cert.pem", "hello\n");
    {
        std::ofstream big(dir / "big.bin");  // sparse: 17 MiB that take no disk
        big.seekp((17 << 20) - 1);
        big.put('x');
    }
    const Case cases[] = {
        {"missing-body", rules("gone.html"), ":12:18: rules[0].http.body_file: no such file: " + (dir / "gone.html")},
        {"missing-chain", "  - match: {host: x.test}\n    chain: {extra: [lost.pem]}\n",
         ":9:21: rules[0].chain.extra[0]: no such file: " + (dir / "lost.pem")},
        {"bad-pem", "  - match: {host: x.test}\n    chain: {custom: [not-a-cert.pem]}\n",
         ":9:22: rules[0].chain.custom[0]: " + (dir / "not-a-cert.pem") + ": not a PEM certificate (corrupted or truncated?)"},
        {"bad-verify-ca", "  - match: {host: x.test}\n    client_cert: {mode: require, verify_ca: not-a-cert.pem}\n",
         ":9:45: rules[0].client_cert.verify_ca: " + (dir / "not-a-cert.pem") + ": not a PEM certificate (corrupted or truncated?)"},
        {"big-body", rules("big.bin"),
         ":12:18: rules[0].http.body_file: " + (dir / "big.bin") + ": the file is 17825792 bytes; a body_file may be at most 16 MiB"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        const std::string file = write_scenario(dir, c.name, c.rules);
        auto validated = run_process({tlsfault_binary(), "validate", file}, std::chrono::seconds(20));
        CHECK(validated.exit_code == 2);
        CHECK(validated.err == file + c.error + "\n");
        auto ran = run_process({tlsfault_binary(), "run", "--state-dir", dir / "state", "--sni-listen", "127.0.0.1:0", "--proxy-listen",
                                "off", "--revocation-listen", "off", "--api-listen", "off", file},
                               std::chrono::seconds(20));
        CHECK(ran.exit_code == 2);
        CHECK(ran.err.find(file + c.error) != std::string::npos);
    }
}

TEST_CASE("named files: read at load, so deleting them changes nothing served, the failed reload keeps them") {
    NamedFiles files;
    const std::string file = write_scenario(files.dir, "named-files", rules());
    RunningEngine engine({"--reload-interval", "100ms", file});
    CHECK(body_served(engine) == "first body\n");
    CHECK(served_subjects(engine, host).find("CN = Named Extra CA") != std::string::npos);

    std::filesystem::remove(files.dir / "body.html");
    std::filesystem::remove(files.dir / "extra.pem");
    // The watcher notices and reloads: the load fails at the first key naming a missing file.
    auto failed = engine.wait_for_event("scenario_reload_failed");
    REQUIRE_FALSE(failed.empty());
    CHECK(json_field(failed, "error") == file + ":9:21: rules[0].chain.extra[0]: no such file: " + (files.dir / "extra.pem"));
    CHECK(failed.find(file + ":12:18: rules[0].http.body_file: no such file: " + (files.dir / "body.html")) != std::string::npos);
    // No connection opens them: the bytes loaded before are still what every connection gets.
    CHECK(body_served(engine) == "first body\n");
    CHECK(served_subjects(engine, host).find("CN = Named Extra CA") != std::string::npos);
    auto verdicts = engine.wait_for_verdicts(4);
    REQUIRE(verdicts.size() >= 3);
    CHECK(json_field(verdicts[2], "outcome") == "accepted");
    CHECK(count_events(engine, "scenario_reloaded") == 0);
    CHECK(engine.process().running());

    // Written back with new bytes: the scenario reloads and new connections get them.
    write_file(files.dir / "body.html", "second body\n");
    make_pem(files.dir.path(), files.dir / "extra.pem", "Second Extra CA");
    REQUIRE_FALSE(engine.wait_for_event("scenario_reloaded").empty());
    CHECK(body_served(engine) == "second body\n");
    CHECK(served_subjects(engine, host).find("CN = Second Extra CA") != std::string::npos);
}

TEST_CASE("named files: editing the body_file reloads the scenario, new connections get the new body") {
    NamedFiles files;
    const std::string file = write_scenario(files.dir, "named-files", rules());
    RunningEngine engine({"--reload-interval", "100ms", file});
    CHECK(body_served(engine) == "first body\n");

    write_file(files.dir / "body.html", "edited body, longer than the first\n");
    auto reloaded = engine.wait_for_event("scenario_reloaded");
    REQUIRE_FALSE(reloaded.empty());
    CHECK(json_field(reloaded, "file") == file);
    CHECK(json_field(reloaded, "scenario") == "named-files");
    CHECK(body_served(engine) == "edited body, longer than the first\n");
    auto response = engine.wait_for_event("response", "\"bytes\":");
    CHECK(json_field(response, "source") == "scenario");
}

TEST_CASE("named files: a reload that names a file not written yet goes live once it is written") {
    NamedFiles files;
    const std::string file = write_scenario(files.dir, "named-files", rules());
    RunningEngine engine({"--reload-interval", "100ms", file});
    CHECK(body_served(engine) == "first body\n");

    write_scenario(files.dir, "named-files", rules("later.html"));
    auto failed = engine.wait_for_event("scenario_reload_failed");
    CHECK(json_field(failed, "error") == file + ":12:18: rules[0].http.body_file: no such file: " + (files.dir / "later.html"));
    CHECK(body_served(engine) == "first body\n");

    write_file(files.dir / "later.html", "written later\n");
    REQUIRE_FALSE(engine.wait_for_event("scenario_reloaded").empty());
    CHECK(body_served(engine) == "written later\n");
    CHECK(count_events(engine, "scenario_reload_failed") == 1);  // reported once, not at every poll
}

TEST_CASE("leaf cache: an inline certificate edited in a reloaded scenario is minted afresh") {
    TempDir dir;
    const std::string cn_host = "leaf-edit.example.test";
    auto rules_with = [&](const std::string& cn) {
        return "  - match: {host: " + cn_host +
               "}\n"
               "    certificate: {common_name: " +
               cn + ", dns_names: [" + cn_host + "], not_after: +30d}\n";
    };
    const std::string file = write_scenario(dir, "leaf-edit", rules_with("before.example.test"));
    RunningEngine engine({"--reload-interval", "100ms", file});
    auto subject = [&] {
        auto chain = fetch_served_chain(engine, cn_host);
        return run_process({"openssl", "x509", "-in", chain.leaf, "-noout", "-subject"}).out;
    };
    CHECK(subject() == "subject=O = tlsfault lab, CN = before.example.test\n");
    auto first = engine.wait_for_event("certificate", "before.example.test");
    REQUIRE_FALSE(first.empty());
    CHECK(json_field(first, "profile") == "leaf-edit/rules[0]");

    write_scenario(dir, "leaf-edit", rules_with("after.example.test"));
    REQUIRE_FALSE(engine.wait_for_event("scenario_reloaded").empty());
    CHECK(subject() == "subject=O = tlsfault lab, CN = after.example.test\n");
    auto second = engine.wait_for_event("certificate", "after.example.test");
    REQUIRE_FALSE(second.empty());
    CHECK(json_field(second, "profile") == "leaf-edit/rules[0]");  // the same name: only the content changed
    CHECK(json_field(second, "sha256") != json_field(first, "sha256"));
    CHECK(json_field(second, "subject").find("CN=after.example.test") != std::string::npos);
}
