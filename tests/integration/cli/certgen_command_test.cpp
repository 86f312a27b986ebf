// `tlsfault certgen` end to end: the exported files, judged by the openssl command line.
#include "tests/support/process.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

using namespace tlsfault::test;
namespace fs = std::filesystem;

namespace {

struct Exported {
    TempDir state;
    TempDir out;
    ProcessResult run;
    explicit Exported(std::vector<std::string> extra = {}) {
        std::vector<std::string> argv = {tlsfault_binary(), "certgen", "--state-dir", state.path(), "--out", out.path()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        run = run_process(argv, std::chrono::seconds(60));
    }
    std::string file(const std::string& host, const std::string& profile, const std::string& name) const {
        return out / (host + "/" + profile + "/" + name);
    }
};

// openssl verify as a strict client would run it: only the lab root trusted.
ProcessResult openssl_verify(const Exported& e, const std::string& profile, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {"openssl",          "verify",
                                     "-CAfile",          e.out / "ca/root.pem",
                                     "-untrusted",       e.file("mail.contoso.com", profile, "fullchain.pem"),
                                     "-verify_hostname", "mail.contoso.com",
                                     "-purpose",         "sslserver"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(e.file("mail.contoso.com", profile, "cert.pem"));
    return run_process(argv);
}

std::size_t count_lines(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

}  // namespace

TEST_CASE("certgen: writes the whole catalogue and openssl verify agrees profile by profile") {
    Exported e({"--host", "mail.contoso.com"});
    REQUIRE_MESSAGE(e.run.exit_code == 0, e.run.all());
    CHECK(e.run.out.find("index.md") != std::string::npos);
    const std::string crl = e.out / "ca/crl/intermediate.crl.pem";
    // profile -> (extra openssl verify arguments, what openssl must print)
    const std::map<std::string, std::pair<std::vector<std::string>, std::string>> expectations = {
        {"good", {{}, ": OK"}},
        {"self-signed", {{}, "error 18 at 0 depth lookup: self-signed certificate"}},
        {"untrusted-root", {{}, "error 19 at 1 depth lookup: self-signed certificate in certificate chain"}},
        {"wrong-host", {{}, "error 62 at 0 depth lookup: hostname mismatch"}},
        {"expired", {{}, "error 10 at 0 depth lookup: certificate has expired"}},
        {"not-yet-valid", {{}, "error 9 at 0 depth lookup: certificate is not yet valid"}},
        {"missing-intermediate", {{}, "error 20 at 0 depth lookup: unable to get local issuer certificate"}},
        {"missing-intermediate-aia", {{}, "error 20 at 0 depth lookup: unable to get local issuer certificate"}},
        {"revoked", {{"-crl_check", "-CRLfile", crl}, "error 23 at 0 depth lookup: certificate revoked"}},
        {"crl-unreachable", {{"-crl_check"}, "error 3 at 0 depth lookup: unable to get certificate CRL"}},
        {"sha1-signature", {{"-auth_level", "1"}, "error 68 at 0 depth lookup: CA signature digest algorithm too weak"}},
        {"rsa-1024", {{"-auth_level", "2"}, "error 66 at 0 depth lookup: EE certificate key too weak"}},
        {"no-san", {{}, ": OK"}},  // the openssl CLI still falls back to the CN
        {"wrong-eku", {{}, "error 26 at 0 depth lookup: unsuitable certificate purpose"}},
        {"leaf-is-ca", {{}, "error 26 at 0 depth lookup: unsuitable certificate purpose"}},
        {"wildcard-mismatch", {{}, "error 62 at 0 depth lookup: hostname mismatch"}},
        {"long-validity", {{}, ": OK"}},
        {"cmg-secure-failure", {{}, "error 19 at 1 depth lookup: self-signed certificate in certificate chain"}},
        {"client", {{}, "error 26 at 0 depth lookup: unsuitable certificate purpose"}},
    };
    for (const auto& [profile, expectation] : expectations) {
        for (const char* name : {"cert.pem", "key.pem", "chain.pem", "fullchain.pem", "cert.der", "bundle.p12"})
            CHECK_MESSAGE(fs::exists(e.file("mail.contoso.com", profile, name)), profile << "/" << name);
        ProcessResult r = openssl_verify(e, profile, expectation.first);
        INFO("profile " << profile << ": openssl said: " << r.all());
        CHECK(r.all().find(expectation.second) != std::string::npos);
        CHECK((r.exit_code == 0) == (expectation.second == ": OK"));
    }
    // The same files with checks the profiles document as their condition: lax settings pass.
    CHECK(openssl_verify(e, "revoked").exit_code == 0);
    CHECK(openssl_verify(e, "sha1-signature", {"-auth_level", "0"}).exit_code == 0);
    // index.md: the header, the table header and one line per profile.
    std::ifstream index(e.out / "index.md");
    std::string text((std::istreambuf_iterator<char>(index)), {});
    CHECK(text.find("| `cmg-secure-failure` |") != std::string::npos);
    CHECK(count_lines(text.substr(text.find("|---|"))) == expectations.size() + 1);
}

TEST_CASE("certgen: the client profile verifies as a client certificate") {
    Exported e({"--host", "mail.contoso.com", "--profile", "client"});
    REQUIRE(e.run.exit_code == 0);
    auto r =
        run_process({"openssl", "verify", "-CAfile", e.out / "ca/root.pem", "-untrusted", e.file("mail.contoso.com", "client", "chain.pem"),
                     "-purpose", "sslclient", e.file("mail.contoso.com", "client", "cert.pem")});
    CHECK_MESSAGE(r.exit_code == 0, r.all());
}

TEST_CASE("certgen: PKCS#12 bundles open with the password and only with it") {
    Exported e({"--profile", "good", "--p12-password", "s3cret"});
    REQUIRE_MESSAGE(e.run.exit_code == 0, e.run.all());
    const std::string p12 = e.file("localhost", "good", "bundle.p12");
    auto ok = run_process({"openssl", "pkcs12", "-in", p12, "-passin", "pass:s3cret", "-nodes", "-info"});
    CHECK_MESSAGE(ok.exit_code == 0, ok.all());
    CHECK(ok.out.find("BEGIN PRIVATE KEY") != std::string::npos);
    CHECK(ok.all().find("AES-256-CBC") != std::string::npos);
    // leaf + intermediate
    CHECK(ok.out.find("subject=O = tlsfault lab, CN = localhost") != std::string::npos);
    CHECK(ok.out.find("subject=O = tlsfault lab, CN = tlsfault lab intermediate CA") != std::string::npos);
    auto bad = run_process({"openssl", "pkcs12", "-in", p12, "-passin", "pass:wrong", "-nodes", "-info"});
    CHECK(bad.exit_code != 0);
    CHECK(bad.all().find("Mac verify error") != std::string::npos);
}

TEST_CASE("certgen: CRLs and CA files are what openssl expects") {
    Exported e({"--profile", "revoked", "--profile", "good"});
    REQUIRE(e.run.exit_code == 0);
    auto crl = run_process({"openssl", "crl", "-inform", "DER", "-in", e.out / "ca/crl/intermediate.crl", "-CAfile",
                            e.out / "ca/intermediate.pem", "-noout", "-text"});
    CHECK_MESSAGE(crl.exit_code == 0, crl.all());
    CHECK(crl.all().find("verify OK") != std::string::npos);
    CHECK(crl.out.find("Key Compromise") != std::string::npos);
    auto stale = run_process({"openssl", "verify", "-CAfile", e.out / "ca/root.pem", "-untrusted", e.file("localhost", "good", "chain.pem"),
                              "-crl_check", "-CRLfile", e.out / "ca/crl/intermediate-stale.crl", e.file("localhost", "good", "cert.pem")});
    CHECK(stale.all().find("CRL has expired") != std::string::npos);
    auto der = run_process({"openssl", "x509", "-inform", "DER", "-in", e.file("localhost", "good", "cert.der"), "-noout", "-subject"});
    CHECK(der.out.find("CN = localhost") != std::string::npos);
}

TEST_CASE("certgen: bad input is one clear line, exit 2, and nothing written") {
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    TempDir scratch;
    std::ofstream(scratch / "a-file") << "x";
    const std::vector<Case> cases = {
        {{"--profile", "expird"}, "--profile expird: no such profile (did you mean 'expired'?)"},
        {{"--host", "bad host"}, "--host bad host: not a DNS name or IP address"},
        {{"--colour"}, "unknown option --colour"},
        {{"--out"}, "--out needs a value"},
    };
    for (const auto& c : cases) {
        TempDir state;
        std::vector<std::string> argv = {tlsfault_binary(), "certgen", "--state-dir", state.path(), "--out", scratch / "out"};
        argv.insert(argv.end(), c.args.begin(), c.args.end());
        if (c.args.size() == 1 && c.args[0] == "--out") argv = {tlsfault_binary(), "certgen", "--out"};
        auto r = run_process(argv);
        INFO("args: " << c.args[0] << " -> " << r.all());
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(c.message) != std::string::npos);
        CHECK(count_lines(r.err) == 1);
        CHECK_FALSE(fs::exists(scratch / "out"));
    }
    TempDir state;
    auto unwritable = run_process({tlsfault_binary(), "certgen", "--state-dir", state.path(), "--out", scratch / "a-file/out"});
    CHECK(unwritable.exit_code == 2);
    CHECK(unwritable.err.find("a-file/out: cannot create directory") != std::string::npos);
    CHECK(count_lines(unwritable.err) == 1);
}

TEST_CASE("certgen: a corrupted CA key in the state dir stops it with the file name") {
    TempDir state, out;
    REQUIRE(run_process({tlsfault_binary(), "ca", "init", "--state-dir", state.path()}).exit_code == 0);
    std::ofstream(state / "ca/intermediate.key", std::ios::trunc) << "not a key";
    auto r = run_process({tlsfault_binary(), "certgen", "--state-dir", state.path(), "--out", out / "certs"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(state / "ca/intermediate.key") != std::string::npos);
    CHECK(r.err.find("delete") != std::string::npos);
    CHECK(count_lines(r.err) == 1);
    CHECK_FALSE(fs::exists(out / "certs"));
}

TEST_CASE("certgen --profile client --host H: the client certificate names H, and verifies as a client certificate") {
    Exported e({"--profile", "client", "--host", "sccm-client.contoso.com"});
    REQUIRE_MESSAGE(e.run.exit_code == 0, e.run.all());
    const std::string cert = e.file("sccm-client.contoso.com", "client", "cert.pem");
    auto subject = run_process({"openssl", "x509", "-in", cert, "-noout", "-subject", "-nameopt", "RFC2253"});
    CHECK(subject.out.rfind("subject=CN=sccm-client.contoso.com,", 0) == 0);
    auto verified = run_process({"openssl", "verify", "-CAfile", e.out / "ca/root.pem", "-untrusted",
                                 e.file("sccm-client.contoso.com", "client", "chain.pem"), "-purpose", "sslclient", cert});
    CHECK_MESSAGE(verified.exit_code == 0, verified.all());
}

TEST_CASE("certgen --p12-legacy: bundle.p12 is 3DES with a SHA-1 MAC, readable without the legacy provider") {
    Exported e({"--profile", "good", "--host", "mail.contoso.com", "--p12-legacy", "--p12-password", "pw"});
    REQUIRE_MESSAGE(e.run.exit_code == 0, e.run.all());
    auto info = run_process(
        {"openssl", "pkcs12", "-in", e.file("mail.contoso.com", "good", "bundle.p12"), "-info", "-noout", "-passin", "pass:pw"});
    CHECK_MESSAGE(info.exit_code == 0, info.all());
    CHECK(info.all().find("MAC: sha1") != std::string::npos);
    CHECK(info.all().find("Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC") != std::string::npos);
    CHECK(info.all().find("PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC") != std::string::npos);
    CHECK(info.all().find("AES") == std::string::npos);
    CHECK(info.all().find("RC2") == std::string::npos);
    // The default stays modern.
    Exported modern({"--profile", "good", "--host", "mail.contoso.com", "--p12-password", "pw"});
    auto aes = run_process(
        {"openssl", "pkcs12", "-in", modern.file("mail.contoso.com", "good", "bundle.p12"), "-info", "-noout", "-passin", "pass:pw"});
    CHECK(aes.all().find("MAC: sha256") != std::string::npos);
    CHECK(aes.all().find("PBES2") != std::string::npos);
}

TEST_CASE("certgen --p12-legacy and ca export --p12-legacy: mono loads them (it cannot load the AES default)" * doctest::timeout(120)) {
    REQUIRE_MESSAGE(run_process({"mono", "--version"}).exit_code == 0,
                    "mono is missing: scripts/common.sh installs mono-runtime and mono-mcs");
    TempDir build;
    auto compiled = run_process({"mcs", "-nologo", "-out:" + build / "LoadP12.exe", std::string(CLI_TEST_DIR) + "/mono/LoadP12.cs"},
                                std::chrono::seconds(60));
    REQUIRE_MESSAGE(compiled.exit_code == 0, compiled.all());
    auto load = [&](const std::string& p12) { return run_process({"mono", build / "LoadP12.exe", p12, "pw"}, std::chrono::seconds(30)); };

    Exported legacy({"--profile", "good", "--host", "mail.contoso.com", "--p12-legacy", "--p12-password", "pw"});
    REQUIRE_MESSAGE(legacy.run.exit_code == 0, legacy.run.all());
    auto leaf = load(legacy.file("mail.contoso.com", "good", "bundle.p12"));
    CHECK_MESSAGE(leaf.exit_code == 0, leaf.all());
    CHECK(leaf.out.find("LOADED CN=mail.contoso.com") != std::string::npos);
    CHECK(leaf.out.find("private key: True") != std::string::npos);

    Exported modern({"--profile", "good", "--host", "mail.contoso.com", "--p12-password", "pw"});
    auto refused = load(modern.file("mail.contoso.com", "good", "bundle.p12"));
    CHECK(refused.exit_code == 1);  // why --p12-legacy exists
    CHECK(refused.out.find("FAILED System.Security.Cryptography.CryptographicException") != std::string::npos);

    auto root = run_process({tlsfault_binary(), "ca", "export", "--format", "p12", "--p12-legacy", "--out", build / "root.p12",
                             "--p12-password", "pw", "--state-dir", legacy.state.path()});
    REQUIRE_MESSAGE(root.exit_code == 0, root.all());
    auto ca = load(build / "root.p12");
    CHECK_MESSAGE(ca.exit_code == 0, ca.all());
    CHECK(ca.out.find("tlsfault lab root CA") != std::string::npos);
    CHECK(ca.out.find("private key: False") != std::string::npos);
}
