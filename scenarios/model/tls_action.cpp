#include "scenarios/model/tls_action.hpp"

#include "scenarios/model/faults/fault_registry.hpp"

#include <openssl/ssl.h>

#include <algorithm>
#include <memory>

namespace tlsfault::scenarios {
namespace {

constexpr NameTable<TlsVersion, 4> version_names{{
    {TlsVersion::tls1_0, "1.0"},
    {TlsVersion::tls1_1, "1.1"},
    {TlsVersion::tls1_2, "1.2"},
    {TlsVersion::tls1_3, "1.3"},
}};

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

/// "alert, reset_after_client_hello and close_after_client_hello": the keys of the tls kinds
/// that end the handshake, of which a rule may set one.
std::string ending_fault_keys() {
    std::vector<std::string_view> keys;
    for (const auto& kind : builtin_fault_registry().kinds())
        if (kind.layer == FaultLayer::tls && kind.ends_connection(kind.defaults())) keys.push_back(kind.tls.key);
    std::string out;
    for (std::size_t i = 0; i < keys.size(); ++i) out += (i == 0 ? "" : i + 1 == keys.size() ? " and " : ", ") + std::string(keys[i]);
    return out;
}

/// One tls fault key: a switch (`reset_after_client_hello: true`) or the kind's attributes,
/// with the shorthand a scalar stands for (`stall: 10s`).
std::optional<FaultSpec> read_fault(const MapReader& m, const FaultKind& kind) {
    const std::string_view key = kind.tls.key;
    if (!kind.tls.shorthand.empty()) return parse_tls_fault(kind.name, kind.tls.shorthand, m.get(key), m.path(key), m.diag());
    if (!read_bool(m.get(key), m.path(key), m.diag()).value_or(false)) return std::nullopt;
    FaultSpec spec;
    spec.type = std::string(kind.name);
    spec.name = spec.type;
    spec.settings = kind.parse(m);  // a switch has no attributes
    return spec;
}

void read_faults(const MapReader& m, TlsAction& out) {
    std::vector<FaultSpec> ending;  // at most one is allowed; they run after the others
    std::vector<std::string_view> ending_keys;
    for (const auto& kind : builtin_fault_registry().kinds()) {
        if (kind.layer != FaultLayer::tls || !m.has(kind.tls.key)) continue;
        auto spec = read_fault(m, kind);
        if (!spec) continue;
        if (kind.ends_connection(spec->settings)) {
            ending.push_back(std::move(*spec));
            ending_keys.push_back(kind.tls.key);
        } else {
            out.faults.push_back(std::move(*spec));
        }
    }
    if (ending.size() > 1) {
        const std::string last(ending_keys.back());
        m.diag().error(m.get(last), m.path(last), "choose one of " + ending_fault_keys());
    }
    for (auto& spec : ending) out.faults.push_back(std::move(spec));
}

/// The keys a `tls` mapping accepts: the handshake settings, then each tls fault's key.
std::vector<std::string_view> tls_keys() {
    std::vector<std::string_view> keys = {"min_version", "max_version", "ciphers",        "ciphersuites",
                                          "groups",      "alpn",        "security_level", "staple"};
    for (const auto& kind : builtin_fault_registry().kinds())
        if (kind.layer == FaultLayer::tls) keys.push_back(kind.tls.key);
    return keys;
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

std::string_view to_string(TlsVersion version) { return name_of(version_names, version, "?"); }

bool TlsAction::ends_handshake() const {
    return std::any_of(faults.begin(), faults.end(), [](const FaultSpec& f) { return ends_connection(f.settings); });
}

std::optional<TlsAction> parse_tls_action(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    MapReader m(node, path, diag, tls_keys());
    if (!m.ok()) return std::nullopt;
    TlsAction out;
    if (m.has("min_version")) out.min_version = read_enum(m.get("min_version"), m.path("min_version"), diag, version_names, "TLS version");
    if (m.has("max_version")) out.max_version = read_enum(m.get("max_version"), m.path("max_version"), diag, version_names, "TLS version");
    if (out.min_version && out.max_version && *out.min_version > *out.max_version)
        diag.error(m.get("max_version"), m.path("max_version"),
                   "max_version " + std::string(to_string(*out.max_version)) + " is below min_version " +
                       std::string(to_string(*out.min_version)));
    if (m.has("ciphers")) out.ciphers = read_names(m, "ciphers", NameList::ciphers, "TLS 1.2 cipher");
    if (m.has("ciphersuites")) out.ciphersuites = read_names(m, "ciphersuites", NameList::ciphersuites, "TLS 1.3 cipher suite");
    if (m.has("groups")) out.groups = read_names(m, "groups", NameList::groups, "group");
    if (m.has("alpn")) out.alpn = read_alpn(m.get("alpn"), m.path("alpn"), diag);
    if (m.has("security_level")) out.security_level = read_int(m.get("security_level"), m.path("security_level"), diag, 0, 5);
    if (m.has("staple")) {
        if (auto text = read_string(m.get("staple"), m.path("staple"), diag)) {
            out.staple = certgen::parse_staple_mode(*text);
            if (!out.staple)
                diag.error(m.get("staple"), m.path("staple"),
                           "unknown staple mode '" + *text + "' (one of: " + certgen::staple_mode_names() + ")");
        }
    }
    read_faults(m, out);
    return out;
}

}  // namespace tlsfault::scenarios
