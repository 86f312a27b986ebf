// The lab CA's keys are secrets: the state directory is created 0700 and keys 0600 whatever the
// umask, the --keylog file is 0600, there is no shared /tmp fallback when HOME is unset, and CA
// keys are not loaded from a directory another user can write.
#include "tests/integration/hardening/hardening_helpers.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>

using namespace tlsfault::test;

namespace {

/// The permission bits of `path` (0 when it does not exist).
unsigned mode_of(const std::string& path) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) return 0;
    return st.st_mode & 07777;
}

/// Runs `tlsfault ARGS...` under `umask 000`.
ProcessResult tlsfault_with_umask_000(const std::string& args) {
    return run_process({"bash", "-c", "umask 000; exec '" + tlsfault_binary() + "' " + args});
}

}  // namespace

TEST_CASE("hardening: under umask 000 the state directory is 0700 and every key 0600") {
    TempDir dir;
    const std::string state = dir / "state";
    auto r = tlsfault_with_umask_000("ca init --state-dir '" + state + "'");
    REQUIRE_MESSAGE(r.exit_code == 0, r.all());
    CHECK(mode_of(state) == 0700);
    CHECK(mode_of(state + "/ca") == 0700);
    std::size_t keys = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(state)) {
        CAPTURE(entry.path().string());
        if (entry.is_directory()) CHECK(mode_of(entry.path()) == 0700);
        if (entry.path().extension() == ".key") {
            CHECK(mode_of(entry.path()) == 0600);
            ++keys;
        }
    }
    CHECK(keys == 3);  // root, intermediate, rogue root
}

TEST_CASE("hardening: the --keylog file is 0600 under umask 000") {
    TempDir dir;
    const mode_t old = umask(0);  // the engine inherits it
    RunningEngine engine({"--keylog", dir / "keys.log"});
    umask(old);
    auto r = curl({"-k", "-o", "/dev/null", "-w", "%{http_code}", "--connect-to", connect_to(engine, "good.tlsfault.test"),
                   "https://good.tlsfault.test/"});
    CHECK(r.out == "200");
    CHECK(engine.verdict_for("good.tlsfault.test") != "");
    CHECK(mode_of(dir / "keys.log") == 0600);
}

TEST_CASE("hardening: with HOME and XDG_DATA_HOME unset there is no /tmp fallback: exit 2, pass --state-dir") {
    auto r = run_process({"env", "-u", "HOME", "-u", "XDG_DATA_HOME", tlsfault_binary(), "ca", "init"});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "tlsfault: no state directory: HOME and XDG_DATA_HOME are both unset; pass --state-dir DIR\n");
}

TEST_CASE("hardening: CA keys in a directory others can write are refused, exit 2") {
    TempDir dir;
    const std::string state = dir / "state";
    REQUIRE(run_process({tlsfault_binary(), "ca", "init", "--state-dir", state}).exit_code == 0);
    REQUIRE(chmod((state + "/ca").c_str(), 0777) == 0);
    auto r = run_process({tlsfault_binary(), "ca", "init", "--state-dir", state});
    CHECK(r.exit_code == 2);
    CHECK(r.err == "tlsfault: " + state +
                       "/ca: writable by other users (mode 0777), so its CA keys cannot be trusted; "
                       "chmod 700 it (or pass another --state-dir)\n");
    REQUIRE(chmod((state + "/ca").c_str(), 0700) == 0);
    REQUIRE(chmod(state.c_str(), 0770) == 0);
    r = run_process({tlsfault_binary(), "ca", "init", "--state-dir", state});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(state + ": writable by other users (mode 0770)") != std::string::npos);
}
