// JA3 and JA4 exactly as their specifications define them, so values match other tools' logs.
#include "proxy/tls/fingerprint.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace tlsfault::proxy {
namespace {

template <typename T>
std::string dash_join(const std::vector<T>& values) {
    std::string out;
    for (auto v : values) {
        if constexpr (sizeof(T) == 2)
            if (is_grease(v)) continue;
        if (!out.empty()) out += '-';
        out += std::to_string(v);
    }
    return out;
}

std::string hex_digest(const EVP_MD* md, const std::string& text, std::size_t keep_chars) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!EVP_Digest(text.data(), text.size(), digest, &length, md, nullptr)) return std::string(keep_chars, '0');
    std::string out;
    char byte[3];
    for (unsigned int i = 0; i < length; ++i) {
        std::snprintf(byte, sizeof byte, "%02x", digest[i]);
        out += byte;
    }
    return out.substr(0, keep_chars);
}

std::string hex4(std::uint16_t v) {
    char text[5];
    std::snprintf(text, sizeof text, "%04x", v);
    return text;
}

std::vector<std::uint16_t> without_grease(const std::vector<std::uint16_t>& values) {
    std::vector<std::uint16_t> out;
    for (auto v : values)
        if (!is_grease(v)) out.push_back(v);
    return out;
}

std::string comma_hex(const std::vector<std::uint16_t>& values) {
    std::string out;
    for (auto v : values) {
        if (!out.empty()) out += ',';
        out += hex4(v);
    }
    return out;
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

std::string two_digits(std::size_t n) {
    char text[3];
    std::snprintf(text, sizeof text, "%02zu", std::min<std::size_t>(n, 99));
    return text;
}

// First and last character of the first ALPN value; hex of the bytes when not alphanumeric.
std::string ja4_alpn(const ClientHello& hello) {
    if (hello.alpn.empty() || hello.alpn.front().empty()) return "00";
    const std::string& first = hello.alpn.front();
    unsigned char a = static_cast<unsigned char>(first.front());
    unsigned char b = static_cast<unsigned char>(first.back());
    if (std::isalnum(a) && std::isalnum(b)) return std::string{static_cast<char>(a), static_cast<char>(b)};
    char text[5];
    std::snprintf(text, sizeof text, "%02x%02x", a, b);
    return std::string{text[0], text[3]};
}

}  // namespace

std::string ja3_string(const ClientHello& hello) {
    return std::to_string(hello.legacy_version) + "," + dash_join(hello.cipher_suites) + "," + dash_join(hello.extensions) + "," +
           dash_join(hello.supported_groups) + "," + dash_join(hello.ec_point_formats);
}

std::string ja3_hash(const ClientHello& hello) { return hex_digest(EVP_md5(), ja3_string(hello), 32); }

std::string ja4(const ClientHello& hello) {
    auto ciphers = without_grease(hello.cipher_suites);
    auto extensions = without_grease(hello.extensions);
    std::string a = "t" + ja4_version(highest_offered_version(hello)) + (hello.sni ? "d" : "i") + two_digits(ciphers.size()) +
                    two_digits(extensions.size()) + ja4_alpn(hello);
    std::sort(ciphers.begin(), ciphers.end());
    std::string b = ciphers.empty() ? std::string(12, '0') : hex_digest(EVP_sha256(), comma_hex(ciphers), 12);
    // SNI and ALPN are already counted in part a; they are left out of the hash.
    std::erase_if(extensions, [](std::uint16_t e) { return e == 0x0000 || e == 0x0010; });
    std::sort(extensions.begin(), extensions.end());
    std::string c_text = comma_hex(extensions);
    auto sigalgs = without_grease(hello.signature_algorithms);
    if (!sigalgs.empty()) c_text += "_" + comma_hex(sigalgs);
    std::string c = extensions.empty() ? std::string(12, '0') : hex_digest(EVP_sha256(), c_text, 12);
    return a + "_" + b + "_" + c;
}

}  // namespace tlsfault::proxy
