// ClientHello parsing: record reassembly, then the handshake body, then the extensions we report.
// Every length is checked against what is left: these bytes come from the network.
#include "proxy/tls/client_hello.hpp"

#include <algorithm>
#include <cstdio>

namespace tlsfault::proxy {
namespace {

constexpr std::uint8_t record_handshake = 0x16;
constexpr std::uint8_t handshake_client_hello = 0x01;
constexpr std::size_t max_record = 16384 + 2048;  // RFC 8446 5.2 ciphertext limit
constexpr std::size_t max_hello = 64 * 1024;      // far above any real hello, bounds our buffer

/// A bounds-checked reader over a byte span; any overrun sets `ok_` and yields zeros.
class Reader {
public:
    explicit Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
    bool ok() const { return ok_; }
    std::size_t left() const { return bytes_.size() - pos_; }
    std::uint32_t u8() { return take(1) ? bytes_[pos_ - 1] : 0; }
    std::uint32_t u16() { return take(2) ? (bytes_[pos_ - 2] << 8) | bytes_[pos_ - 1] : 0; }
    std::uint32_t u24() { return take(3) ? (bytes_[pos_ - 3] << 16) | (bytes_[pos_ - 2] << 8) | bytes_[pos_ - 1] : 0; }
    std::span<const std::uint8_t> bytes(std::size_t n) {
        if (!take(n)) return {};
        return bytes_.subspan(pos_ - n, n);
    }
    /// A sub-reader over the next `n` bytes (a length-prefixed vector).
    Reader sub(std::size_t n) {
        Reader r(bytes(n));
        r.ok_ = ok_;
        return r;
    }

private:
    bool take(std::size_t n) {
        if (!ok_ || left() < n) {
            ok_ = false;
            return false;
        }
        pos_ += n;
        return true;
    }
    std::span<const std::uint8_t> bytes_;
    std::size_t pos_ = 0;
    bool ok_ = true;
};

std::vector<std::uint16_t> read_u16_list(Reader r) {
    std::vector<std::uint16_t> out;
    out.reserve(r.left() / 2);  // one allocation per list, not one per doubling
    while (r.ok() && r.left() >= 2) out.push_back(static_cast<std::uint16_t>(r.u16()));
    return out;
}

// Returns an error text, or "" on success.
std::string parse_extension(std::uint16_t type, Reader data, ClientHello& hello) {
    switch (type) {
    case 0x0000: {  // server_name
        Reader list = data.sub(data.u16());
        while (list.ok() && list.left() > 0) {
            auto name_type = list.u8();
            auto name = list.bytes(list.u16());
            if (!list.ok()) return "server_name extension is truncated";
            if (name_type == 0 && !hello.sni) hello.sni.emplace(name.begin(), name.end());
        }
        break;
    }
    case 0x000a: hello.supported_groups = read_u16_list(data.sub(data.u16())); break;
    case 0x000b: {
        auto formats = data.bytes(data.u8());
        hello.ec_point_formats.assign(formats.begin(), formats.end());
        break;
    }
    case 0x000d: hello.signature_algorithms = read_u16_list(data.sub(data.u16())); break;
    case 0x0010: {  // application_layer_protocol_negotiation
        Reader list = data.sub(data.u16());
        while (list.ok() && list.left() > 0) {
            auto proto = list.bytes(list.u8());
            if (list.ok()) hello.alpn.emplace_back(proto.begin(), proto.end());
        }
        break;
    }
    case 0x002b: hello.supported_versions = read_u16_list(data.sub(data.u8())); break;
    default: break;
    }
    if (!data.ok()) return "extension " + std::to_string(type) + " is malformed";
    return {};
}

HelloParse invalid(std::string reason) {
    HelloParse p;
    p.status = HelloStatus::invalid;
    p.reason = std::move(reason);
    p.looks_like_tls = true;
    return p;
}

HelloParse parse_body(std::span<const std::uint8_t> body, HelloParse result) {
    Reader r(body);
    ClientHello& hello = result.hello;
    hello.legacy_version = static_cast<std::uint16_t>(r.u16());
    auto random = r.bytes(32);
    if (random.size() == hello.random.size()) std::copy(random.begin(), random.end(), hello.random.begin());
    r.bytes(r.u8());  // legacy_session_id
    auto suites_len = r.u16();
    if (suites_len % 2) return invalid("odd cipher_suites length");
    hello.cipher_suites = read_u16_list(r.sub(suites_len));
    r.bytes(r.u8());  // legacy_compression_methods
    if (!r.ok()) return invalid("ClientHello body is truncated");
    if (r.left() == 0) return result;  // no extensions at all (SSLv3-style hello)
    Reader exts = r.sub(r.u16());
    if (!r.ok()) return invalid("extensions length exceeds the hello");
    hello.extensions.reserve(std::min<std::size_t>(exts.left() / 4, 32));  // each takes at least 4 bytes
    while (exts.left() > 0) {
        auto type = static_cast<std::uint16_t>(exts.u16());
        Reader data = exts.sub(exts.u16());
        if (!exts.ok()) return invalid("extension list is truncated");
        hello.extensions.push_back(type);
        if (auto error = parse_extension(type, data, hello); !error.empty()) return invalid(error);
    }
    return result;
}

}  // namespace

std::string client_random_hex(const ClientHello& hello) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(hello.random.size() * 2);
    for (auto byte : hello.random) {
        hex += digits[byte >> 4];
        hex += digits[byte & 0x0f];
    }
    return hex;
}

bool is_grease(std::uint16_t value) { return (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff); }

std::string tls_version_name(std::uint16_t version) {
    switch (version) {
    case 0x0300: return "SSLv3";
    case 0x0301: return "TLSv1.0";
    case 0x0302: return "TLSv1.1";
    case 0x0303: return "TLSv1.2";
    case 0x0304: return "TLSv1.3";
    default: {
        char text[8];
        std::snprintf(text, sizeof text, "0x%04x", version);
        return text;
    }
    }
}

std::uint16_t highest_offered_version(const ClientHello& hello) {
    std::uint16_t best = 0;
    for (auto v : hello.supported_versions)
        if (!is_grease(v) && v > best) best = v;
    return best ? best : hello.legacy_version;
}

HelloParse parse_client_hello(std::span<const std::uint8_t> bytes) {
    HelloParse result;
    if (bytes.empty()) return result;
    if (bytes[0] != record_handshake) {
        result.status = HelloStatus::invalid;
        result.reason = bytes[0] == 0x80 ? "SSLv2-style hello (not supported)" : "first byte is not a TLS handshake record";
        return result;
    }
    result.looks_like_tls = true;
    // Reassemble the handshake message from as many records as it spans.
    std::vector<std::uint8_t> message;
    std::size_t pos = 0;
    std::size_t needed = 0;  // handshake message length incl. its 4-byte header, once known
    while (true) {
        if (bytes.size() - pos < 5) return result;  // need_more
        if (bytes[pos] != record_handshake) return invalid("a non-handshake record interrupts the ClientHello");
        std::size_t length = (bytes[pos + 3] << 8) | bytes[pos + 4];
        if (pos == 0) result.hello.record_version = static_cast<std::uint16_t>((bytes[1] << 8) | bytes[2]);
        if (bytes[pos + 1] != 0x03) return invalid("record version is not 3.x");
        if (length == 0 || length > max_record) return invalid("record length " + std::to_string(length) + " is out of range");
        if (bytes.size() - pos - 5 < length) return result;  // need_more
        message.insert(message.end(), bytes.begin() + static_cast<long>(pos + 5), bytes.begin() + static_cast<long>(pos + 5 + length));
        pos += 5 + length;
        if (needed == 0 && message.size() >= 4) {
            if (message[0] != handshake_client_hello) return invalid("first handshake message is not a ClientHello");
            needed = 4 + ((message[1] << 16) | (message[2] << 8) | message[3]);
            if (needed > max_hello) return invalid("ClientHello length " + std::to_string(needed) + " is too large");
        }
        if (needed != 0 && message.size() >= needed) break;
    }
    result.hello.bytes = pos;
    result.status = HelloStatus::parsed;
    return parse_body(std::span(message).subspan(4, needed - 4), std::move(result));
}

}  // namespace tlsfault::proxy
