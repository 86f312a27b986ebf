// `tls`: the handshake a rule offers — versions, ciphers, groups, ALPN — and the handshake
// faults (an alert, a reset, a close or a stall right after the ClientHello). The fault keys
// come from the fault registry (each tls kind's TlsKey), not from a list here.
#pragma once

#include "scenarios/model/faults/fault_spec.hpp"
#include "scenarios/model/yaml_reader.hpp"

#include "certgen/ocsp_staple.hpp"

#include <optional>
#include <string>
#include <vector>

namespace tlsfault::scenarios {

enum class TlsVersion { tls1_0, tls1_1, tls1_2, tls1_3 };

/// "1.0" .. "1.3".
std::string_view to_string(TlsVersion version);

/// What the server side of the handshake allows and does. Unset fields keep the engine's defaults.
struct TlsAction {
    std::optional<TlsVersion> min_version;
    std::optional<TlsVersion> max_version;
    std::vector<std::string> ciphers;       ///< TLS 1.2 and below, OpenSSL names (SSL_CTX_set_cipher_list)
    std::vector<std::string> ciphersuites;  ///< TLS 1.3 names (SSL_CTX_set_ciphersuites)
    std::vector<std::string> groups;        ///< key-exchange groups (SSL_CTX_set1_groups_list)
    /// ALPN answer: a protocol name to select when the client offers it (else nothing), "none"
    /// to select nothing (no ALPN extension), "refuse" to fail with no_application_protocol.
    std::optional<std::string> alpn;
    /// Security level for this handshake (0 lets 1024-bit keys, SHA-1 and TLS 1.0 through).
    std::optional<int> security_level;
    /// The OCSP staple sent to a client that asks (status_request); unset: the engine's --staple.
    std::optional<certgen::StapleMode> staple;

    /// The handshake faults, in the order they run: those that may let the handshake go on
    /// (a stall) first, then at most one that ends it (alert, reset or close).
    std::vector<FaultSpec> faults;

    /// The settings of the handshake fault of that kind, or nullptr.
    template <class Settings>
    const Settings* fault() const {
        for (const auto& f : faults)
            if (const auto* s = std::get_if<Settings>(&f.settings)) return s;
        return nullptr;
    }
    /// True when the handshake is cut short (alert, reset or close): no certificate is ever sent.
    bool ends_handshake() const;
    /// True when the ALPN answer is a protocol other than HTTP/1.1: tlsfault speaks no HTTP on
    /// such a connection (it closes after the handshake), so no http answer can follow.
    bool selects_foreign_protocol() const { return alpn && *alpn != "http/1.1" && *alpn != "none" && *alpn != "refuse"; }
};

std::optional<TlsAction> parse_tls_action(const YAML::Node& node, const std::string& path, Diagnostics& diag);

}  // namespace tlsfault::scenarios
