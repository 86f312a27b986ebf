// The .deb: built by cpack from the already built tree (nothing is recompiled), unpacked with
// `dpkg -x` into a scratch root, and run from there: --help, man pages, bash completion, and one
// real-client case (curl against cert-expired) with the event recorded; the systemd unit example
// checked by systemd-analyze against the unpacked binary.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using namespace tlsfault::test;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

/// Builds the .deb into `dir` and returns its path.
std::string build_deb(const TempDir& dir) {
    auto built = run_process({"cpack", "-G", "DEB", "--config", std::string(TLSFAULT_BUILD_DIR) + "/CPackConfig.cmake", "-B", dir / "pkg"},
                             std::chrono::seconds(180));
    REQUIRE_MESSAGE(built.exit_code == 0, built.all());
    for (const auto& entry : fs::directory_iterator(dir / "pkg"))
        if (entry.path().extension() == ".deb") return entry.path();
    FAIL("cpack wrote no .deb: " << built.all());
    return {};
}

/// What bash completion offers after `words` (the last one is being completed).
std::string complete(const std::string& completion_file, const std::string& bin_dir, const std::string& words) {
    const std::string script = "source \"$1\"; PATH=\"$2:$PATH\"; COMP_WORDS=(" + words +
                               "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _tlsfault; printf '%s\\n' \"${COMPREPLY[@]}\"";
    auto r = run_process({"bash", "-c", script, "complete", completion_file, bin_dir}, std::chrono::seconds(20));
    CHECK_MESSAGE(r.exit_code == 0, r.all());
    return r.out;
}

}  // namespace

TEST_CASE("package: the .deb installs into a scratch root and its binary serves a real client") {
    TempDir dir;
    const std::string deb = build_deb(dir);
    auto depends = run_process({"dpkg-deb", "-f", deb, "Depends"});
    CHECK_MESSAGE(contains(depends.out, "libssl3"), depends.out);
    CHECK_MESSAGE(contains(depends.out, "libyaml-cpp0.7"), depends.out);
    REQUIRE(run_process({"dpkg", "-x", deb, dir / "root"}).exit_code == 0);
    const std::string bin = dir / "root/usr/bin/tlsfault";

    auto help = run_process({bin, "--help"});
    CHECK(help.exit_code == 0);
    CHECK(contains(help.out, "Commands:"));
    for (const char* page : {"tlsfault.1", "tlsfault-run.1", "tlsfault-certgen.1", "tlsfault-list.1"})
        CHECK_MESSAGE(fs::exists(dir / ("root/usr/share/man/man1/" + std::string(page))), page);
    const auto run_page = read_text(dir / "root/usr/share/man/man1/tlsfault-run.1");
    CHECK(contains(run_page, ".SH SYNOPSIS"));
    CHECK(contains(run_page, "\\-\\-bundle DIR"));
    CHECK_FALSE(contains(run_page, "/root/"));  // the builder's home stays out of the pages
    CHECK(fs::exists(dir / "root/usr/share/doc/tlsfault/docs/install.md"));

    const std::string completion = dir / "root/usr/share/bash-completion/completions/tlsfault";
    REQUIRE(fs::exists(completion));
    const std::string bin_dir = dir / "root/usr/bin";
    CHECK(contains(complete(completion, bin_dir, "tlsfault ''"), "run\n"));
    CHECK(contains(complete(completion, bin_dir, "tlsfault run --bu"), "--bundle\n"));
    CHECK(contains(complete(completion, bin_dir, "tlsfault run cert-ex"), "cert-expired\n"));

    // The systemd unit example, pointed at the unpacked binary: systemd accepts every line of it
    // (an unknown or misspelt key is only a warning, so the output must be empty too).
    std::string unit = read_text(dir / "root/usr/share/doc/tlsfault/examples/systemd/tlsfault.service");
    REQUIRE(contains(unit, "ExecStart=/usr/bin/tlsfault run /etc/tlsfault/scenarios"));
    CHECK(contains(unit, "--state-dir /var/lib/tlsfault"));
    unit.replace(unit.find("/usr/bin/tlsfault run"), 17, bin);
    std::ofstream(dir / "tlsfault.service") << unit;
    auto verified = run_process({"systemd-analyze", "verify", "--man=no", dir / "tlsfault.service"}, std::chrono::seconds(30));
    CHECK_MESSAGE(verified.exit_code == 0, verified.all());
    CHECK_MESSAGE(verified.all().empty(), verified.all());

    RunningEngine e({"cert-expired"}, bin);
    auto r = curl({"--cacert", e.root_pem(), "--connect-to", connect_to(e, "expired.tlsfault.test"), "https://expired.tlsfault.test/"});
    CHECK(r.exit_code == 60);
    CHECK_MESSAGE(contains(r.err, "certificate has expired"), r.all());
    auto verdict = e.verdict_for("expired.tlsfault.test");
    CHECK(json_field(verdict, "outcome") == "alert");
    CHECK(json_field(verdict, "alert") == "certificate_expired");
    CHECK(e.process().stop() == 0);
}
