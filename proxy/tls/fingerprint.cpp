// JA3 and JA4 exactly as their specifications define them, so values match other tools' logs.
// Computed at most once per connection, for a reader: no printf-style formatting, and the digests
// fetched once per process, since OpenSSL 3 looks EVP_md5()/EVP_sha256() up by name per call.
#include "proxy/tls/fingerprint.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace tlsfault::proxy {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

template <typename T>
void append_decimal(std::string& out, T value) {
    char text[8];
    auto end = std::to_chars(text, text + sizeof text, value).ptr;
    out.append(text, end);
}

template <typename T>
void append_dash_joined(std::string& out, const std::vector<T>& values) {
    bool first = true;
    for (auto v : values) {
        if constexpr (sizeof(T) == 2)
            if (is_grease(v)) continue;
        if (!first) out += '-';
        first = false;
        append_decimal(out, v);
    }
}

const EVP_MD* fetched_md5() {
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "MD5", nullptr);
    return md ? md : EVP_md5();
}

const EVP_MD* fetched_sha256() {
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return md ? md : EVP_sha256();
}

/// The first `keep_chars` lower-case hex digits of the digest of `text`.
std::string hex_digest(const EVP_MD* md, const std::string& text, std::size_t keep_chars) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!EVP_Digest(text.data(), text.size(), digest, &length, md, nullptr)) return std::string(keep_chars, '0');
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out += hex_digits[digest[i] >> 4];
        out += hex_digits[digest[i] & 0x0f];
    }
    out.resize(std::min(out.size(), keep_chars));
    return out;
}

std::vector<std::uint16_t> without_grease(const std::vector<std::uint16_t>& values) {
    std::vector<std::uint16_t> out;
    out.reserve(values.size());
    for (auto v : values)
        if (!is_grease(v)) out.push_back(v);
    return out;
}

/// "0a0b,1301": four lower-case hex digits per value, comma-separated, appended to `out`.
void append_comma_hex(std::string& out, const std::vector<std::uint16_t>& values) {
    out.reserve(out.size() + values.size() * 5);
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) out += ',';
        const std::uint16_t v = values[i];
        for (int shift = 12; shift >= 0; shift -= 4) out += hex_digits[(v >> shift) & 0x0f];
    }
}

std::string ja4_version(std::uint16_t version) {
    switch (version) {
    case 0x0304: return "13";
    case 0x0303: return "12";
    case 0x0302: return "11";
    case 0x0301: return "10";
    case 0x0300: return "s3";
    default: return "00";
    }
}

void append_two_digits(std::string& out, std::size_t n) {
    n = std::min<std::size_t>(n, 99);
    out += static_cast<char>('0' + n / 10);
    out += static_cast<char>('0' + n % 10);
}

// First and last character of the first ALPN value; hex of the bytes when not alphanumeric
// (then the first hex digit of the first byte and the last of the last byte).
std::string ja4_alpn(const ClientHello& hello) {
    if (hello.alpn.empty() || hello.alpn.front().empty()) return "00";
    const std::string& first = hello.alpn.front();
    unsigned char a = static_cast<unsigned char>(first.front());
    unsigned char b = static_cast<unsigned char>(first.back());
    if (std::isalnum(a) && std::isalnum(b)) return std::string{static_cast<char>(a), static_cast<char>(b)};
    return std::string{hex_digits[a >> 4], hex_digits[b & 0x0f]};
}

}  // namespace

std::string ja3_string(const ClientHello& hello) {
    std::string out;
    out.reserve(16 + 6 * (hello.cipher_suites.size() + hello.extensions.size() + hello.supported_groups.size()) +
                4 * hello.ec_point_formats.size());
    append_decimal(out, hello.legacy_version);
    out += ',';
    append_dash_joined(out, hello.cipher_suites);
    out += ',';
    append_dash_joined(out, hello.extensions);
    out += ',';
    append_dash_joined(out, hello.supported_groups);
    out += ',';
    append_dash_joined(out, hello.ec_point_formats);
    return out;
}

std::string ja3_hash(const ClientHello& hello) { return hex_digest(fetched_md5(), ja3_string(hello), 32); }

std::string ja4(const ClientHello& hello) {
    auto ciphers = without_grease(hello.cipher_suites);
    auto extensions = without_grease(hello.extensions);
    std::string out;
    out.reserve(36);
    out += 't';
    out += ja4_version(highest_offered_version(hello));
    out += hello.sni ? 'd' : 'i';
    append_two_digits(out, ciphers.size());
    append_two_digits(out, extensions.size());
    out += ja4_alpn(hello);
    out += '_';
    std::sort(ciphers.begin(), ciphers.end());
    std::string text;
    append_comma_hex(text, ciphers);
    out += ciphers.empty() ? std::string(12, '0') : hex_digest(fetched_sha256(), text, 12);
    out += '_';
    // SNI and ALPN are already counted in part a; they are left out of the hash.
    std::erase_if(extensions, [](std::uint16_t e) { return e == 0x0000 || e == 0x0010; });
    std::sort(extensions.begin(), extensions.end());
    text.clear();
    append_comma_hex(text, extensions);
    auto sigalgs = without_grease(hello.signature_algorithms);
    if (!sigalgs.empty()) {
        text += '_';
        append_comma_hex(text, sigalgs);
    }
    out += extensions.empty() ? std::string(12, '0') : hex_digest(fetched_sha256(), text, 12);
    return out;
}

Fingerprints fingerprints(const ClientHello& hello) {
    Fingerprints f;
    f.ja3 = ja3_string(hello);
    f.ja3_hash = hex_digest(fetched_md5(), f.ja3, 32);
    f.ja4 = ja4(hello);
    return f;
}

}  // namespace tlsfault::proxy
