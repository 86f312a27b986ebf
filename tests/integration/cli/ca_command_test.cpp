// `tlsfault ca`: the root's path, its exports in every format, and the help text.
#include "tests/support/process.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace tlsfault::test;
namespace fs = std::filesystem;

TEST_CASE("ca path: prints the lab root, the same one every time") {
    TempDir state;
    auto first = run_process({tlsfault_binary(), "ca", "path", "--state-dir", state.path()});
    REQUIRE(first.exit_code == 0);
    CHECK(first.out == state / "ca/root.pem\n");
    auto subject = run_process({"openssl", "x509", "-in", state / "ca/root.pem", "-noout", "-fingerprint", "-sha256"});
    REQUIRE(run_process({tlsfault_binary(), "ca", "path", "--state-dir", state.path()}).exit_code == 0);
    auto again = run_process({"openssl", "x509", "-in", state / "ca/root.pem", "-noout", "-fingerprint", "-sha256"});
    CHECK(subject.out == again.out);
}

TEST_CASE("ca export: pem, der and p12 are readable by openssl") {
    TempDir state, out;
    auto pem = run_process({tlsfault_binary(), "ca", "export", "--state-dir", state.path()});
    REQUIRE(pem.exit_code == 0);
    CHECK(pem.out.rfind("-----BEGIN CERTIFICATE-----", 0) == 0);
    auto der = run_process({tlsfault_binary(), "ca", "export", "--format", "der", "--out", out / "root.cer", "--state-dir", state.path()});
    REQUIRE_MESSAGE(der.exit_code == 0, der.all());
    auto parsed = run_process({"openssl", "x509", "-inform", "DER", "-in", out / "root.cer", "-noout", "-subject"});
    CHECK(parsed.out.find("tlsfault lab root CA") != std::string::npos);
    auto p12 = run_process({tlsfault_binary(), "ca", "export", "--format", "p12", "--out", out / "root.p12", "--p12-password", "pw",
                            "--state-dir", state.path()});
    REQUIRE_MESSAGE(p12.exit_code == 0, p12.all());
    auto info = run_process({"openssl", "pkcs12", "-in", out / "root.p12", "-passin", "pass:pw", "-nokeys"});
    CHECK_MESSAGE(info.exit_code == 0, info.all());
    CHECK(info.out.find("tlsfault lab root CA") != std::string::npos);
}

TEST_CASE("ca: bad input exits 2 with one line") {
    TempDir state;
    auto binary = run_process({tlsfault_binary(), "ca", "export", "--format", "der", "--state-dir", state.path()});
    CHECK(binary.exit_code == 2);
    CHECK(binary.err.find("give --out FILE") != std::string::npos);
    auto format = run_process({tlsfault_binary(), "ca", "export", "--format", "jks", "--state-dir", state.path()});
    CHECK(format.exit_code == 2);
    CHECK(format.err.find("--format jks: use pem, der or p12") != std::string::npos);
    auto action = run_process({tlsfault_binary(), "ca", "trust", "--state-dir", state.path()});
    CHECK(action.exit_code == 2);
    CHECK(action.err.find("unknown action 'trust'") != std::string::npos);
}

TEST_CASE("help: every command explains itself") {
    auto top = run_process({tlsfault_binary(), "--help"});
    CHECK(top.exit_code == 0);
    CHECK(top.out.find("certgen") != std::string::npos);
    auto ca = run_process({tlsfault_binary(), "ca", "--help"});
    CHECK(ca.exit_code == 0);
    for (const char* platform : {"Debian", "Windows", "macOS", "Java", "Node.js", "Python"}) CHECK(ca.out.find(platform) != std::string::npos);
    auto certgen = run_process({tlsfault_binary(), "certgen", "--help"});
    CHECK(certgen.exit_code == 0);
    CHECK(certgen.out.find("missing-intermediate-aia") != std::string::npos);
    auto unknown = run_process({tlsfault_binary(), "frobnicate"});
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("unknown command 'frobnicate'") != std::string::npos);
}
