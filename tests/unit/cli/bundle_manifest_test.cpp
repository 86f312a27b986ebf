// The bundle manifest and the replay's command line, without sockets: bundle.json round trips
// (quotes, backslashes, non-ASCII), broken manifests are located, recorded options merge under
// the replaying command line's own.
#include "cli/arg_parser.hpp"
#include "cli/bundle/atomic_file.hpp"
#include "cli/bundle/bundle_manifest.hpp"
#include "cli/bundle/run_bundle.hpp"
#include "tests/support/process.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace tlsfault::cli;
using tlsfault::test::TempDir;

namespace {

const OptionSpec specs[] = {{"staple"}, {"sni-listen"}, {"quiet", false}, {"events"}, {"state-dir"}, {"bundle"}, {"proxy-auth"}};

ParsedArgs parse(std::vector<std::string> args) { return parse_args(args, specs, "run"); }

/// A bundle folder with one scenario file and `manifest` as bundle.json.
void write_bundle(const TempDir& dir, const BundleManifest& manifest) {
    std::filesystem::create_directories(dir / "scenarios");
    write_file_atomically(dir / "scenarios/01-a.yaml", "name: a\n");
    write_file_atomically(dir / "bundle.json", to_json(manifest));
}

}  // namespace

TEST_CASE("bundle manifest: to_json and read_bundle_manifest round trip, escapes included") {
    TempDir dir;
    BundleManifest m;
    m.tlsfault_version = "0.1.0";
    m.created = "2026-12-03T10:00:00.000Z";
    m.ca_keys = true;
    m.scenario_files = {"scenarios/01-a.yaml"};
    m.options = {{"staple", "revoked"}, {"quiet", std::nullopt}, {"lab-domain", "quo\"te\\back\xc3\xa9"}};
    write_bundle(dir, m);
    REQUIRE(is_bundle_dir(dir.path()));
    auto back = read_bundle_manifest(dir.path());
    CHECK(back.tlsfault_version == "0.1.0");
    CHECK(back.created == m.created);
    CHECK(back.ca_keys);
    CHECK(back.scenario_files == m.scenario_files);
    REQUIRE(back.options.size() == 3);
    CHECK(back.options[0].value == std::optional<std::string>("revoked"));
    CHECK_FALSE(back.options[1].value.has_value());
    CHECK(back.options[2].value == std::optional<std::string>("quo\"te\\back\xc3\xa9"));
}

TEST_CASE("bundle manifest: a broken manifest is one located line") {
    TempDir dir;
    BundleManifest m;
    m.scenario_files = {"../outside.yaml"};
    write_bundle(dir, m);
    CHECK_THROWS_WITH_AS(read_bundle_manifest(dir.path()),
                         doctest::Contains("bundle.json:5:17: scenarios[0]: '../outside.yaml' is not inside the bundle folder"),
                         UsageError);
    write_file_atomically(dir / "bundle.json", "{\"scenarios\": [\n");
    CHECK_THROWS_WITH_AS(read_bundle_manifest(dir.path()), doctest::Contains("bundle.json:"), UsageError);
    write_file_atomically(dir / "bundle.json", "{\"options\": []}\n");
    CHECK_THROWS_WITH_AS(read_bundle_manifest(dir.path()), doctest::Contains("scenarios: expected a list of scenario files"), UsageError);
}

TEST_CASE("replay plan: the replaying command line wins, records and passwords are not replayed") {
    TempDir dir;
    BundleManifest m;
    m.tlsfault_version = "0.0.1";
    m.scenario_files = {"scenarios/01-a.yaml"};
    m.options = {{"staple", "revoked"}, {"sni-listen", "127.0.0.1:8443"}, {"quiet", std::nullopt}};
    write_bundle(dir, m);
    auto plan = plan_replay(parse({dir.path(), "--sni-listen", "127.0.0.1:0", "--events", "e.jsonl"}), specs, "0.1.0");
    REQUIRE(plan.has_value());
    auto replayed = parse(plan->args);
    CHECK(replayed.get("sni-listen") == "127.0.0.1:0");  // given here: wins over the recorded 8443
    CHECK(replayed.get("staple") == "revoked");
    CHECK(replayed.has("quiet"));
    CHECK(replayed.get("events") == "e.jsonl");
    CHECK(replayed.positionals() == std::vector<std::string>{(std::filesystem::path(dir.path()) / "scenarios/01-a.yaml").string()});
    CHECK(plan->ca_state_dir.empty());                                              // no keys: the local CA
    CHECK(plan->banner.at(1).find("this is tlsfault 0.1.0") != std::string::npos);  // the version differs

    auto recorded = recorded_options(parse({"--staple", "good", "--proxy-auth", "u:p", "--events", "x", "--quiet", "a.yaml"}), specs);
    REQUIRE(recorded.size() == 2);
    CHECK(recorded[0].name == "quiet");
    CHECK(recorded[1].name == "staple");
    CHECK(command_line_text(std::vector<std::string>{"--proxy-auth", "u:p", "--events", "a b.jsonl"}) ==
          "tlsfault run --proxy-auth USER:*** --events 'a b.jsonl'");
    CHECK_FALSE(plan_replay(parse({"cert-expired"}), specs, "0.1.0").has_value());
}
