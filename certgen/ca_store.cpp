#include "certgen/ca_store.hpp"

#include "certgen/certgen_error.hpp"
#include "certgen/certificate_builder.hpp"
#include "certgen/lab_intermediates.hpp"
#include "certgen/pem_io.hpp"
#include "certgen/private_dir.hpp"

#include <openssl/rand.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace tlsfault::certgen {
namespace {

namespace fs = std::filesystem;
constexpr std::int64_t day = 86400;

struct CaRecipe {
    const char* short_name;
    const char* common_name;
    const char* organization;
    std::int64_t lifetime_days;
    std::optional<int> path_len;
};

constexpr CaRecipe root_recipe{"root", "tlsfault lab root CA", "tlsfault lab", 3650, std::nullopt};
constexpr CaRecipe intermediate_recipe{"intermediate", "tlsfault lab intermediate CA", "tlsfault lab", 1825, 0};
constexpr CaRecipe rogue_recipe{"rogue-root", "tlsfault rogue root CA (never trust this)", "tlsfault rogue", 3650, std::nullopt};

// A short tag makes two machines' lab roots tell apart in a trust store listing.
std::string creation_tag() {
    unsigned char bytes[3];
    RAND_bytes(bytes, sizeof bytes);
    char date[16];
    std::time_t now = std::time(nullptr);
    std::strftime(date, sizeof date, "%Y-%m-%d", std::gmtime(&now));
    char tag[32];
    std::snprintf(tag, sizeof tag, "%s #%02x%02x%02x", date, bytes[0], bytes[1], bytes[2]);
    return tag;
}

CertificateAuthority create_ca(const CaRecipe& recipe, const CertificateAuthority* issuer, const std::string& tag) {
    CertificateAuthority ca;
    ca.short_name = recipe.short_name;
    ca.key = generate_key(KeyType::ec_p256);
    CertificateFields fields;
    fields.common_name = std::string(recipe.common_name) + " " + tag;
    fields.organization = recipe.organization;
    std::int64_t now = std::time(nullptr);
    fields.not_before = now - 2 * day;
    fields.not_after = now + recipe.lifetime_days * day;
    fields.is_ca = true;
    fields.path_len = recipe.path_len;
    fields.key_usage = ku_key_cert_sign | ku_crl_sign | ku_digital_signature;
    EVP_PKEY* signer = issuer ? issuer->key.get() : ca.key.get();
    ca.cert = build_certificate(fields, ca.key.get(), issuer ? issuer->cert.get() : nullptr, signer, EVP_sha256());
    return ca;
}

std::string recreate_hint(const fs::path& ca_dir) {
    return "restore it, or delete " + ca_dir.string() + " to create a new lab CA (clients must then trust the new root.pem)";
}

CertificateAuthority load_ca(const CaRecipe& recipe, const fs::path& ca_dir) {
    CertificateAuthority ca;
    ca.short_name = recipe.short_name;
    ca.cert_path = ca_dir / (std::string(recipe.short_name) + ".pem");
    ca.key_path = ca_dir / (std::string(recipe.short_name) + ".key");
    try {
        ca.cert = cert_from_pem(read_file(ca.cert_path), ca.cert_path.string());
        ca.key = private_key_from_pem(read_file(ca.key_path), ca.key_path.string());
    } catch (const CertgenError& e) {
        throw CertgenError(std::string(e.what()) + "; " + recreate_hint(ca_dir));
    }
    if (X509_check_private_key(ca.cert.get(), ca.key.get()) != 1) {
        throw CertgenError(ca.key_path.string() + ": this key does not belong to " + ca.cert_path.filename().string() +
                           " (mismatched CA files); " + recreate_hint(ca_dir));
    }
    if (X509_cmp_current_time(X509_get0_notAfter(ca.cert.get())) < 0)
        throw CertgenError(ca.cert_path.string() + ": this lab CA has expired; " + recreate_hint(ca_dir));
    return ca;
}

void save_ca(CertificateAuthority& ca, const fs::path& ca_dir) {
    ca.cert_path = ca_dir / (ca.short_name + ".pem");
    ca.key_path = ca_dir / (ca.short_name + ".key");
    // Key first: a certificate on disk always has its key beside it.
    write_file_atomically(ca.key_path, private_key_to_pem(ca.key.get()), 0600);
    write_file_atomically(ca.cert_path, to_pem(ca.cert.get()), 0644);
}

// Loads the CA if its files exist, creates it if neither does; one file alone is an error.
CertificateAuthority load_or_create(const CaRecipe& recipe, const fs::path& ca_dir, const CertificateAuthority* issuer,
                                    const std::string& tag) {
    fs::path cert_path = ca_dir / (std::string(recipe.short_name) + ".pem");
    fs::path key_path = ca_dir / (std::string(recipe.short_name) + ".key");
    bool has_cert = fs::exists(cert_path), has_key = fs::exists(key_path);
    if (has_cert && has_key) return load_ca(recipe, ca_dir);
    if (has_cert != has_key)
        throw CertgenError((has_cert ? key_path : cert_path).string() + " is missing while " +
                           (has_cert ? cert_path : key_path).filename().string() + " exists; " + recreate_hint(ca_dir));
    CertificateAuthority ca = create_ca(recipe, issuer, tag);
    save_ca(ca, ca_dir);
    return ca;
}

void check_issued_by(const CertificateAuthority& child, const CertificateAuthority& parent, const fs::path& ca_dir) {
    EVP_PKEY* parent_key = X509_get0_pubkey(parent.cert.get());
    if (X509_check_issued(parent.cert.get(), child.cert.get()) != X509_V_OK || X509_verify(child.cert.get(), parent_key) != 1)
        throw CertgenError(child.cert_path.string() + " was not issued by " + parent.cert_path.filename().string() +
                           " (mismatched CA files); " + recreate_hint(ca_dir));
}

// Serialises CA creation between processes sharing a state dir.
class DirectoryLock {
public:
    explicit DirectoryLock(const fs::path& dir) {
        fd_ = ::open((dir / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd_ >= 0) flock(fd_, LOCK_EX);
    }
    ~DirectoryLock() {
        if (fd_ >= 0) ::close(fd_);
    }
    DirectoryLock(const DirectoryLock&) = delete;
    DirectoryLock& operator=(const DirectoryLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace

std::optional<fs::path> default_state_dir() {
    // No shared fallback such as /tmp/tlsfault-state: another user could create it first and
    // hand this one a CA of their choosing.
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return fs::path(xdg) / "tlsfault";
    if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".local/share/tlsfault";
    return std::nullopt;
}

std::string default_state_dir_text() {
    auto dir = default_state_dir();
    return dir ? dir->string() : std::string("none: HOME and XDG_DATA_HOME are unset, so --state-dir is required");
}

CaStore CaStore::open(const fs::path& state_dir) {
    fs::path ca_dir = state_dir / "ca";
    create_private_directory(ca_dir);
    check_private_directory(state_dir);
    check_private_directory(ca_dir);
    DirectoryLock lock(ca_dir);
    CaStore store;
    store.state_dir_ = state_dir;
    const std::string tag = creation_tag();
    store.root_ = load_or_create(root_recipe, ca_dir, nullptr, tag);
    store.intermediate_ = load_or_create(intermediate_recipe, ca_dir, &store.root_, tag);
    store.rogue_root_ = load_or_create(rogue_recipe, ca_dir, nullptr, tag);
    check_issued_by(store.intermediate_, store.root_, ca_dir);
    store.make_status_intermediates();
    return store;
}

CaStore CaStore::in_memory() {
    CaStore store;
    const std::string tag = creation_tag();
    store.root_ = create_ca(root_recipe, nullptr, tag);
    store.intermediate_ = create_ca(intermediate_recipe, &store.root_, tag);
    store.rogue_root_ = create_ca(rogue_recipe, nullptr, tag);
    store.make_status_intermediates();
    return store;
}

void CaStore::make_status_intermediates() {
    intermediate_revoked_ = make_status_intermediate(IntermediateStatus::revoked, intermediate_, root_);
    intermediate_unreachable_ = make_status_intermediate(IntermediateStatus::unreachable, intermediate_, root_);
}

void CaStore::point_intermediates_at(const std::string& revocation_url, const std::string& unreachable_url) {
    const std::pair<IntermediateStatus, CertificateAuthority*> intermediates[] = {
        {IntermediateStatus::good, &intermediate_},
        {IntermediateStatus::revoked, &intermediate_revoked_},
        {IntermediateStatus::unreachable, &intermediate_unreachable_},
    };
    for (auto [status, ca] : intermediates)
        ca->cert = reissue_intermediate(*ca, root_, intermediate_urls(status, revocation_url, unreachable_url));
}

const CertificateAuthority& CaStore::intermediate(IntermediateStatus status) const {
    switch (status) {
    case IntermediateStatus::revoked: return intermediate_revoked_;
    case IntermediateStatus::unreachable: return intermediate_unreachable_;
    case IntermediateStatus::good: break;
    }
    return intermediate_;
}

std::vector<const CertificateAuthority*> CaStore::all() const {
    return {&root_, &intermediate_, &intermediate_revoked_, &intermediate_unreachable_, &rogue_root_};
}

const CertificateAuthority* CaStore::issuer(IssuerKind kind, IntermediateStatus status) const {
    switch (kind) {
    case IssuerKind::root: return &root_;
    case IssuerKind::intermediate: return &intermediate(status);
    case IssuerKind::rogue: return &rogue_root_;
    case IssuerKind::self: return nullptr;
    }
    return nullptr;
}

}  // namespace tlsfault::certgen
