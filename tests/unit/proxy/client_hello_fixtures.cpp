// Building ClientHello bytes by hand for the parser tests.
#include "tests/unit/proxy/client_hello_fixtures.hpp"

namespace tlsfault::test {
namespace {

void put16(std::vector<std::uint8_t>& out, std::size_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v));
}

}  // namespace

std::vector<std::uint8_t> from_hex(const std::string& hex) {
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
    return out;
}

std::vector<std::uint8_t> build_hello_message(const HelloSpec& spec) {
    std::vector<std::uint8_t> body;
    put16(body, spec.legacy_version);
    body.insert(body.end(), 32, 0x42);  // random
    body.push_back(0);                  // session id
    put16(body, spec.ciphers.size() * 2);
    for (auto c : spec.ciphers) put16(body, c);
    body.push_back(1);
    body.push_back(0);  // compression: null
    std::vector<std::uint8_t> exts;
    for (const auto& [type, data] : spec.extensions) {
        put16(exts, type);
        put16(exts, data.size());
        exts.insert(exts.end(), data.begin(), data.end());
    }
    put16(body, exts.size());
    body.insert(body.end(), exts.begin(), exts.end());
    std::vector<std::uint8_t> message = {0x01, static_cast<std::uint8_t>(body.size() >> 16), static_cast<std::uint8_t>(body.size() >> 8),
                                         static_cast<std::uint8_t>(body.size())};
    message.insert(message.end(), body.begin(), body.end());
    return message;
}

std::vector<std::uint8_t> in_records(const std::vector<std::uint8_t>& message, std::size_t max_fragment) {
    std::vector<std::uint8_t> out;
    for (std::size_t pos = 0; pos < message.size(); pos += max_fragment) {
        std::size_t n = std::min(max_fragment, message.size() - pos);
        out.insert(out.end(), {0x16, 0x03, 0x01});
        put16(out, n);
        out.insert(out.end(), message.begin() + static_cast<long>(pos), message.begin() + static_cast<long>(pos + n));
    }
    return out;
}

std::vector<std::uint8_t> sni_extension(const std::string& host) {
    std::vector<std::uint8_t> out;
    put16(out, host.size() + 3);
    out.push_back(0);
    put16(out, host.size());
    out.insert(out.end(), host.begin(), host.end());
    return out;
}

std::vector<std::uint8_t> u16_list_extension(const std::vector<std::uint16_t>& values) {
    std::vector<std::uint8_t> out;
    put16(out, values.size() * 2);
    for (auto v : values) put16(out, v);
    return out;
}

std::vector<std::uint8_t> alpn_extension(const std::vector<std::string>& protocols) {
    std::vector<std::uint8_t> list;
    for (const auto& p : protocols) {
        list.push_back(static_cast<std::uint8_t>(p.size()));
        list.insert(list.end(), p.begin(), p.end());
    }
    std::vector<std::uint8_t> out;
    put16(out, list.size());
    out.insert(out.end(), list.begin(), list.end());
    return out;
}

}  // namespace tlsfault::test
