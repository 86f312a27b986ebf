// Token generation with OpenSSL's CSPRNG; the file is written through a temp file and a rename,
// so a reader never sees half a token.
#include "proxy/api/api_token.hpp"

#include "certgen/pem_io.hpp"

#include <openssl/rand.h>

#include <arpa/inet.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tlsfault::proxy {
namespace {

std::string random_hex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1)
        throw std::runtime_error("cannot generate an API token: OpenSSL's random generator failed");
    static const char digits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : raw) hex += digits[c >> 4], hex += digits[c & 15];
    return hex;
}

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
    return text;
}

}  // namespace

std::filesystem::path api_token_path(const std::filesystem::path& state_dir) { return state_dir / "api-token"; }

std::string load_or_create_api_token(const std::filesystem::path& state_dir) {
    const auto path = api_token_path(state_dir);
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        if (!in) throw std::runtime_error(path.string() + ": cannot read the API token file; remove it to get a new token");
        if (auto token = trimmed(text.str()); !token.empty()) return token;
    }
    std::string token = random_hex(32);
    try {
        std::filesystem::create_directories(state_dir);
        certgen::write_file_atomically(path, token + "\n", 0600);
    } catch (const std::exception& e) {
        throw std::runtime_error(path.string() + ": cannot write the API token (" + e.what() + "); give --api-token or --state-dir");
    }
    return token;
}

bool is_loopback_host(std::string_view host) {
    if (host == "localhost") return true;
    const std::string text(host);
    unsigned char v4[4];
    if (inet_pton(AF_INET, text.c_str(), v4) == 1) return v4[0] == 127;
    unsigned char v6[16];
    if (inet_pton(AF_INET6, text.c_str(), v6) == 1) {
        for (int i = 0; i < 15; ++i)
            if (v6[i] != 0) return false;
        return v6[15] == 1;
    }
    return false;
}

}  // namespace tlsfault::proxy
