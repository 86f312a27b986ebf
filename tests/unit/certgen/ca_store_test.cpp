// The CA store on disk: created once, reloaded identically, and clear about broken files.
#include "tests/support/process.hpp"

#include "certgen/ca_store.hpp"
#include "certgen/certgen_error.hpp"
#include "certgen/pem_io.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>

using namespace tlsfault;
namespace fs = std::filesystem;

namespace {

std::string open_error(const fs::path& state_dir) {
    try {
        certgen::CaStore::open(state_dir);
    } catch (const certgen::CertgenError& e) {
        return e.what();
    }
    return "";
}

void overwrite(const fs::path& path, const std::string& content) { std::ofstream(path, std::ios::trunc) << content; }

}  // namespace

TEST_CASE("ca store: created on first use, the same CA on reload") {
    test::TempDir dir;
    auto first = certgen::CaStore::open(dir.path());
    auto again = certgen::CaStore::open(dir.path());
    CHECK(certgen::sha256_fingerprint(first.root().cert.get()) == certgen::sha256_fingerprint(again.root().cert.get()));
    CHECK(certgen::sha256_fingerprint(first.intermediate().cert.get()) == certgen::sha256_fingerprint(again.intermediate().cert.get()));
    CHECK(EVP_PKEY_eq(first.rogue_root().key.get(), again.rogue_root().key.get()) == 1);
    CHECK(first.root().cert_path == fs::path(dir.path()) / "ca/root.pem");
    for (const char* key : {"root.key", "intermediate.key", "rogue-root.key"}) {
        struct stat st {};
        REQUIRE(stat((fs::path(dir.path()) / "ca" / key).c_str(), &st) == 0);
        INFO(key);
        CHECK((st.st_mode & 0777) == 0600);
    }
}

TEST_CASE("ca store: the intermediate is a CA issued by the root, the rogue root is unrelated") {
    auto cas = certgen::CaStore::in_memory();
    CHECK(X509_check_issued(cas.root().cert.get(), cas.intermediate().cert.get()) == X509_V_OK);
    CHECK(X509_check_ca(cas.intermediate().cert.get()) != 0);
    CHECK(X509_check_issued(cas.root().cert.get(), cas.rogue_root().cert.get()) != X509_V_OK);
}

TEST_CASE("ca store: a corrupted key names the file and the fix") {
    test::TempDir dir;
    certgen::CaStore::open(dir.path());
    overwrite(fs::path(dir.path()) / "ca/root.key", "-----BEGIN PRIVATE KEY-----\ngarbage\n");
    std::string error = open_error(dir.path());
    CHECK(error.find("ca/root.key") != std::string::npos);
    CHECK(error.find("not an unencrypted PEM private key") != std::string::npos);
    CHECK(error.find("delete") != std::string::npos);
}

TEST_CASE("ca store: mismatched CA files are refused") {
    test::TempDir dir;
    certgen::CaStore::open(dir.path());
    const fs::path ca = fs::path(dir.path()) / "ca";
    SUBCASE("a key that belongs to another certificate") {
        fs::copy_file(ca / "rogue-root.key", ca / "root.key", fs::copy_options::overwrite_existing);
        std::string error = open_error(dir.path());
        CHECK(error.find("root.key: this key does not belong to root.pem") != std::string::npos);
    }
    SUBCASE("an intermediate from another root") {
        test::TempDir other;
        certgen::CaStore::open(other.path());
        const fs::path other_ca = fs::path(other.path()) / "ca";
        fs::copy_file(other_ca / "intermediate.pem", ca / "intermediate.pem", fs::copy_options::overwrite_existing);
        fs::copy_file(other_ca / "intermediate.key", ca / "intermediate.key", fs::copy_options::overwrite_existing);
        std::string error = open_error(dir.path());
        CHECK(error.find("intermediate.pem was not issued by root.pem") != std::string::npos);
    }
    SUBCASE("a certificate without its key") {
        fs::remove(ca / "intermediate.key");
        std::string error = open_error(dir.path());
        CHECK(error.find("intermediate.key is missing while intermediate.pem exists") != std::string::npos);
    }
}

TEST_CASE("ca store: an unusable state dir is a clear error") {
    test::TempDir dir;
    overwrite(fs::path(dir.path()) / "a-file", "x");
    std::string error = open_error(fs::path(dir.path()) / "a-file" / "state");
    CHECK(error.find("cannot create the state directory") != std::string::npos);
    CHECK(error.find("--state-dir") != std::string::npos);
}
