// A scenario path that is not a regular file (a FIFO, /dev/zero, /dev/urandom) or is too big is
// refused at once with one line and exit 2; while running, such a replacement is a failed reload
// and the engine, even on one thread, keeps serving.
#include "tests/integration/hardening/hardening_helpers.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

using namespace tlsfault::test;

namespace {

/// `tlsfault validate PATH` with a 10 s deadline; it must answer well within it.
ProcessResult validate(const std::string& path) { return run_process({tlsfault_binary(), "validate", path}, std::chrono::seconds(10)); }

}  // namespace

TEST_CASE("hardening: validate refuses a FIFO, /dev/zero and /dev/urandom at once, exit 2") {
    TempDir dir;
    REQUIRE(mkfifo((dir / "fifo.yaml").c_str(), 0600) == 0);
    const auto start = std::chrono::steady_clock::now();
    for (const std::string& path : {dir / "fifo.yaml", std::string("/dev/zero"), std::string("/dev/urandom")}) {
        CAPTURE(path);
        auto r = validate(path);
        CHECK_FALSE(r.timed_out);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(path + ": not a regular file") != std::string::npos);
        CHECK(r.err.find("bad_alloc") == std::string::npos);
    }
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("hardening: validate refuses a scenario file over 4 MiB, exit 2") {
    TempDir dir;
    {
        std::ofstream big(dir / "big.yaml");
        big << "name: big\n# " << std::string(5 * 1024 * 1024, 'x') << "\n";
    }
    auto r = validate(dir / "big.yaml");
    CHECK(r.exit_code == 2);
    const auto size = std::to_string(std::filesystem::file_size(dir / "big.yaml"));
    CHECK(r.err.find(dir / "big.yaml: the file is " + size + " bytes; a scenario file may be at most 4 MiB") != std::string::npos);
}

TEST_CASE("hardening: a scenario file replaced by a FIFO is a failed reload and one engine thread keeps serving") {
    TempDir files;
    auto scenario = write_scenario(files, "swapped", "  - match: {host: swapped.test}\n    http: {status: 418}\n");
    RunningEngine engine({"--threads", "1", "--reload-interval", "100ms", scenario});
    std::filesystem::remove(scenario);
    REQUIRE(mkfifo(scenario.c_str(), 0600) == 0);
    auto failed = engine.wait_for_event("scenario_reload_failed", "not a regular file");
    CHECK(failed != "");
    auto r =
        curl({"-k", "-w", "%{http_code}", "-o", "/dev/null", "--connect-to", connect_to(engine, "swapped.test"), "https://swapped.test/"});
    CHECK(r.out == "418");  // the last good version stays live
    CHECK(engine.verdict_for("swapped.test") != "");
}

TEST_CASE("hardening: run refuses a FIFO given as a scenario file at once, exit 2, nothing bound") {
    TempDir dir;
    REQUIRE(mkfifo((dir / "fifo.yaml").c_str(), 0600) == 0);
    auto r = run_process({tlsfault_binary(), "run", "--state-dir", dir / "state", "--proxy-listen", "127.0.0.1:0", "--sni-listen",
                          "127.0.0.1:0", "--revocation-listen", "off", dir / "fifo.yaml"},
                         std::chrono::seconds(10));
    CHECK_FALSE(r.timed_out);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(dir / "fifo.yaml: not a regular file (a FIFO); give a scenario YAML file") != std::string::npos);
    CHECK(r.all().find("interception engine ready") == std::string::npos);
}
