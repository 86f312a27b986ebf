// `tlsfault ca`: the root's path, its exports in every format, and the help text.
#include "tests/support/process.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace tlsfault::test;
namespace fs = std::filesystem;

TEST_CASE("ca path: a query that never creates a CA, ca init creates it once, path then prints it") {
    TempDir state;
    auto none = run_process({tlsfault_binary(), "ca", "path", "--state-dir", state.path()});
    CHECK(none.exit_code == 1);
    CHECK(none.out.empty());
    CHECK(none.err.find("there is no lab CA in " + state / "ca") != std::string::npos);
    CHECK(none.err.find("tlsfault ca init --state-dir") != std::string::npos);
    CHECK_FALSE(fs::exists(state / "ca"));

    auto init = run_process({tlsfault_binary(), "ca", "init", "--state-dir", state.path()});
    REQUIRE_MESSAGE(init.exit_code == 0, init.all());
    CHECK(init.out == state / "ca/root.pem\n");
    auto subject = run_process({"openssl", "x509", "-in", state / "ca/root.pem", "-noout", "-fingerprint", "-sha256"});
    auto first = run_process({tlsfault_binary(), "ca", "path", "--state-dir", state.path()});
    CHECK(first.exit_code == 0);
    CHECK(first.out == state / "ca/root.pem\n");
    REQUIRE(run_process({tlsfault_binary(), "ca", "init", "--state-dir", state.path()}).exit_code == 0);
    auto again = run_process({"openssl", "x509", "-in", state / "ca/root.pem", "-noout", "-fingerprint", "-sha256"});
    CHECK(subject.out == again.out);  // init keeps an existing CA
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
    for (const char* platform : {"Debian", "Windows", "macOS", "Java", "Node.js", "Python"})
        CHECK(ca.out.find(platform) != std::string::npos);
    auto certgen = run_process({tlsfault_binary(), "certgen", "--help"});
    CHECK(certgen.exit_code == 0);
    CHECK(certgen.out.find("missing-intermediate-aia") != std::string::npos);
    auto unknown = run_process({tlsfault_binary(), "frobnicate"});
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("unknown command 'frobnicate'") != std::string::npos);
}

TEST_CASE("ca export --format p12 --p12-legacy: the root in a 3DES / SHA-1 MAC bundle, --p12-legacy alone is refused") {
    TempDir state, out;
    auto p12 = run_process({tlsfault_binary(), "ca", "export", "--format", "p12", "--p12-legacy", "--out", out / "root.p12",
                            "--p12-password", "pw", "--state-dir", state.path()});
    REQUIRE_MESSAGE(p12.exit_code == 0, p12.all());
    auto info = run_process({"openssl", "pkcs12", "-in", out / "root.p12", "-info", "-noout", "-passin", "pass:pw"});
    CHECK_MESSAGE(info.exit_code == 0, info.all());
    CHECK(info.all().find("MAC: sha1") != std::string::npos);
    CHECK(info.all().find("PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC") != std::string::npos);
    auto certs = run_process({"openssl", "pkcs12", "-in", out / "root.p12", "-passin", "pass:pw", "-nokeys"});
    CHECK(certs.out.find("tlsfault lab root CA") != std::string::npos);

    auto pem = run_process({tlsfault_binary(), "ca", "export", "--p12-legacy", "--state-dir", state.path()});
    CHECK(pem.exit_code == 2);
    CHECK(pem.err.find("--p12-legacy applies to --format p12 only") != std::string::npos);
}
