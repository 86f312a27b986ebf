#include "scenarios/model/tls_action.hpp"

#include "scenarios/model/faults/fault_registry.hpp"

#include <openssl/ssl.h>

#include <algorithm>
#include <memory>

namespace tlsfault::scenarios {
namespace {

constexpr std::pair<std::string_view, TlsVersion> version_names[] = {
    {"1.0", TlsVersion::tls1_0}, {"1.1", TlsVersion::tls1_1}, {"1.2", TlsVersion::tls1_2}, {"1.3", TlsVersion::tls1_3}};

using CtxPtr = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;

// OpenSSL itself decides which names exist: a scratch context tries each one.
enum class NameList { ciphers, ciphersuites, groups };

bool openssl_knows(NameList list, const std::string& name) {
    CtxPtr ctx(SSL_CTX_new(TLS_method()), &SSL_CTX_free);
    if (!ctx) return true;  // cannot check here; the engine will report it
    switch (list) {
        case NameList::ciphers:
            if (!name.empty() && (name[0] == '@' || name[0] == '!' || name[0] == '-' || name[0] == '+')) return true;
            return SSL_CTX_set_cipher_list(ctx.get(), name.c_str()) == 1;
        case NameList::ciphersuites: return SSL_CTX_set_ciphersuites(ctx.get(), name.c_str()) == 1 && name.find(':') == std::string::npos;
        case NameList::groups: return SSL_CTX_set1_groups_list(ctx.get(), name.c_str()) == 1;
    }
    return false;
}

std::vector<std::string> read_names(const MapReader& m, std::string_view key, NameList list, std::string_view what) {
    auto names = read_string_list(m.get(key), m.path(key), m.diag());
    if (!names) return {};
    for (const auto& n : *names)
        if (!openssl_knows(list, n)) m.diag().error(m.get(key), m.path(key), "OpenSSL knows no " + std::string(what) + " '" + n + "'");
    return *names;
}

void read_faults(const MapReader& m, TlsAction& out) {
    Diagnostics& d = m.diag();
    if (m.has("alert")) {
        if (auto spec = parse_tls_fault("tls_alert", "alert", m.get("alert"), m.path("alert"), d)) out.alert = std::get<TlsAlertSettings>(spec->settings);
    }
    if (m.has("reset_after_client_hello") && read_bool(m.get("reset_after_client_hello"), m.path("reset_after_client_hello"), d).value_or(false))
        out.reset = HandshakeResetSettings{};
    if (m.has("stall")) {
        if (auto spec = parse_tls_fault("handshake_stall", "duration", m.get("stall"), m.path("stall"), d))
            out.stall = std::get<HandshakeStallSettings>(spec->settings);
    }
    if (m.has("close_after_client_hello") && read_bool(m.get("close_after_client_hello"), m.path("close_after_client_hello"), d).value_or(false))
        out.close = HandshakeCloseSettings{};
    const int endings = out.alert.has_value() + out.reset.has_value() + out.close.has_value();
    if (endings > 1) {
        const char* key = out.close ? "close_after_client_hello" : "reset_after_client_hello";
        d.error(m.get(key), m.path(key), "choose one of alert, reset_after_client_hello and close_after_client_hello");
    }
}

/// A protocol name as it goes on the wire (1-255 printable bytes), "none" or "refuse".
std::optional<std::string> read_alpn(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    auto text = read_text(node, path, diag);
    if (!text) return std::nullopt;
    const bool printable = std::all_of(text->begin(), text->end(), [](char c) { return c > ' ' && c < 0x7f; });
    if (text->empty() || text->size() > 255 || !printable) {
        diag.error(node, path, "expected an ALPN protocol name (http/1.1, h2, ...), none or refuse, got '" + *text + "'");
        return std::nullopt;
    }
    return text;
}

}  // namespace

std::string_view to_string(TlsVersion version) {
    for (auto [name, v] : version_names)
        if (v == version) return name;
    return "?";
}

std::optional<TlsAction> parse_tls_action(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    MapReader m(node, path, diag,
                {"min_version", "max_version", "ciphers", "ciphersuites", "groups", "alpn", "security_level", "staple", "alert",
                 "reset_after_client_hello", "close_after_client_hello", "stall"});
    if (!m.ok()) return std::nullopt;
    TlsAction out;
    if (m.has("min_version")) out.min_version = read_enum(m.get("min_version"), m.path("min_version"), diag, version_names, "TLS version");
    if (m.has("max_version")) out.max_version = read_enum(m.get("max_version"), m.path("max_version"), diag, version_names, "TLS version");
    if (out.min_version && out.max_version && *out.min_version > *out.max_version)
        diag.error(m.get("max_version"), m.path("max_version"), "max_version " + std::string(to_string(*out.max_version)) +
                                                                    " is below min_version " + std::string(to_string(*out.min_version)));
    if (m.has("ciphers")) out.ciphers = read_names(m, "ciphers", NameList::ciphers, "TLS 1.2 cipher");
    if (m.has("ciphersuites")) out.ciphersuites = read_names(m, "ciphersuites", NameList::ciphersuites, "TLS 1.3 cipher suite");
    if (m.has("groups")) out.groups = read_names(m, "groups", NameList::groups, "group");
    if (m.has("alpn")) out.alpn = read_alpn(m.get("alpn"), m.path("alpn"), diag);
    if (m.has("security_level")) out.security_level = read_int(m.get("security_level"), m.path("security_level"), diag, 0, 5);
    if (m.has("staple")) {
        if (auto text = read_string(m.get("staple"), m.path("staple"), diag)) {
            out.staple = certgen::parse_staple_mode(*text);
            if (!out.staple)
                diag.error(m.get("staple"), m.path("staple"), "unknown staple mode '" + *text + "' (one of: " + certgen::staple_mode_names() + ")");
        }
    }
    read_faults(m, out);
    return out;
}

}  // namespace tlsfault::scenarios
