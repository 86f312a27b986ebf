#include "certgen/pem_io.hpp"

#include "certgen/certgen_error.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace tlsfault::certgen {
namespace {

BioPtr memory_bio() {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio) throw_openssl_error("out of memory");
    return bio;
}

std::string drain(BIO* bio) {
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(len));
}

std::string hex(const unsigned char* data, std::size_t len, bool colons, bool upper) {
    static constexpr char lower_digits[] = "0123456789abcdef";
    static constexpr char upper_digits[] = "0123456789ABCDEF";
    const char* digits = upper ? upper_digits : lower_digits;
    std::string out;
    for (std::size_t i = 0; i < len; ++i) {
        if (colons && i) out += ':';
        out += digits[data[i] >> 4];
        out += digits[data[i] & 0xf];
    }
    return out;
}

std::string name_line(const X509_NAME* name) {
    BioPtr bio = memory_bio();
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    return drain(bio.get());
}

}  // namespace

std::string to_pem(const X509* cert) {
    BioPtr bio = memory_bio();
    if (!PEM_write_bio_X509(bio.get(), cert)) throw_openssl_error("cannot encode a certificate as PEM");
    return drain(bio.get());
}

std::string to_pem(const X509_CRL* crl) {
    BioPtr bio = memory_bio();
    if (!PEM_write_bio_X509_CRL(bio.get(), const_cast<X509_CRL*>(crl))) throw_openssl_error("cannot encode a CRL as PEM");
    return drain(bio.get());
}

std::string to_der(const X509* cert) {
    unsigned char* der = nullptr;
    int len = i2d_X509(cert, &der);
    if (len <= 0) throw_openssl_error("cannot encode a certificate as DER");
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
    return out;
}

std::string to_der(const X509_CRL* crl) {
    unsigned char* der = nullptr;
    int len = i2d_X509_CRL(crl, &der);
    if (len <= 0) throw_openssl_error("cannot encode a CRL as DER");
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
    return out;
}

std::string private_key_to_pem(const EVP_PKEY* key) {
    BioPtr bio = memory_bio();
    if (!PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr))
        throw_openssl_error("cannot encode a private key as PEM");
    return drain(bio.get());
}

std::string to_pkcs12(const EVP_PKEY* key, const X509* cert, std::span<const X509Ptr> chain, const std::string& password,
                      const std::string& friendly_name, Pkcs12Encryption encryption) {
    STACK_OF(X509)* cas = sk_X509_new_null();
    for (const auto& c : chain) sk_X509_push(cas, c.get());
    // modern: AES-256-CBC for key and certificates, SHA-256 MAC, 2048 iterations: the OpenSSL 3
    // default set, which Windows (since 10 1709), macOS and current Java import.
    // legacy: 3DES for both and a SHA-1 MAC, what older Windows, .NET Framework and mono read;
    // PKCS12_create's MAC is left out (-1) and set with SHA-1 explicitly (its default is SHA-256).
    const bool legacy = encryption == Pkcs12Encryption::legacy;
    const int nid = legacy ? NID_pbe_WithSHA1And3_Key_TripleDES_CBC : NID_aes_256_cbc;
    Pkcs12Ptr p12(PKCS12_create(password.c_str(), friendly_name.c_str(), const_cast<EVP_PKEY*>(key), const_cast<X509*>(cert), cas, nid, nid,
                                2048, legacy ? -1 : 2048, 0));
    sk_X509_free(cas);
    if (p12 && legacy && PKCS12_set_mac(p12.get(), password.c_str(), -1, nullptr, 0, 2048, EVP_sha1()) != 1) p12.reset();
    if (!p12) throw_openssl_error("cannot build the PKCS#12 bundle for " + friendly_name);
    unsigned char* der = nullptr;
    int len = i2d_PKCS12(p12.get(), &der);
    if (len <= 0) throw_openssl_error("cannot encode the PKCS#12 bundle for " + friendly_name);
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
    return out;
}

X509Ptr cert_from_pem(std::string_view pem, const std::string& origin) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    if (!cert) throw CertgenError(origin + ": not a PEM certificate (corrupted or truncated?)");
    return cert;
}

EvpPkeyPtr private_key_from_pem(std::string_view pem, const std::string& origin) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    // An empty passphrase callback: lab keys are never encrypted, and we must not prompt.
    EvpPkeyPtr key(PEM_read_bio_PrivateKey(
        bio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr));
    ERR_clear_error();
    if (!key) throw CertgenError(origin + ": not an unencrypted PEM private key (corrupted or truncated?)");
    return key;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CertgenError(path.string() + ": cannot read: " + std::strerror(errno));
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content, unsigned mode) {
    std::string temp = path.string() + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(std::random_device{}());
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) throw CertgenError(path.string() + ": cannot write: " + std::strerror(errno) + "; choose a writable directory");
    fchmod(fd, mode);  // not subject to the umask, unlike open's mode
    std::size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int saved = errno;
            ::close(fd);
            ::unlink(temp.c_str());
            throw CertgenError(path.string() + ": cannot write: " + std::strerror(saved));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(temp.c_str(), path.c_str()) != 0) {
        int saved = errno;
        ::unlink(temp.c_str());
        throw CertgenError(path.string() + ": cannot write: " + std::strerror(saved));
    }
}

std::string sha256_fingerprint(const X509* cert) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    // Fetched once: X509_digest fetches EVP_sha256() by name on every call (a new host's leaf
    // paid about a tenth of its cost there).
    static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (!X509_digest(cert, sha256 ? sha256 : EVP_sha256(), md, &len)) throw_openssl_error("cannot hash a certificate");
    return hex(md, len, true, false);
}

std::string serial_hex(const X509* cert) {
    BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
    char* text = BN_bn2hex(bn.get());
    std::string out = text ? text : "";
    OPENSSL_free(text);
    return out;
}

std::string subject_line(const X509* cert) { return name_line(X509_get_subject_name(cert)); }
std::string issuer_line(const X509* cert) { return name_line(X509_get_issuer_name(cert)); }

}  // namespace tlsfault::certgen
