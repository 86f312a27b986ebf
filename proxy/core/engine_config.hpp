// Everything `tlsfault run` configures, as plain validated data (no Asio here, so the CLI and
// tests can build it without the networking headers).
#pragma once

#include "scenarios/model/listener_kind.hpp"
#include "certgen/ocsp_staple.hpp"
#include "scenarios/model/glob.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tlsfault::scenarios {
struct Scenario;
class ScenarioReloader;
}  // namespace tlsfault::scenarios

namespace tlsfault::proxy {

using scenarios::ListenerKind;

struct HostPort {
    std::string host;  ///< name or IP literal, without IPv6 brackets
    std::uint16_t port = 0;
    std::string str() const;  ///< "127.0.0.1:8080", "[::1]:8443"
};

/// Parses "HOST:PORT", "[V6]:PORT"; nullopt when malformed.
std::optional<HostPort> parse_host_port(std::string_view text);

/// How non-lab hosts are answered.
enum class UpstreamMode {
    automatic,  ///< explicit-proxy traffic is forwarded; SNI-listener traffic answered by origin mode
    origin,     ///< never contact an upstream: everything answered by origin mode
    forward,    ///< both listeners forward non-lab hosts
};

enum class UpstreamVerify { system, off, ca_file };

/// A scenario given to `tlsfault run` as a FILE: its place in EngineConfig::scenarios and the
/// reloader that loaded it, polled while running (built-in names never change, so are not here).
struct ScenarioFile {
    std::size_t index = 0;
    std::shared_ptr<::tlsfault::scenarios::ScenarioReloader> reloader;
};

struct Timeouts {
    std::chrono::milliseconds client_hello{10'000};  ///< from accept to a whole ClientHello
    std::chrono::milliseconds handshake{30'000};     ///< the TLS handshake (covers Java's and Windows' 15 s revocation fetch timeouts)
    std::chrono::milliseconds header{30'000};        ///< reading one request or response header
    std::chrono::milliseconds idle{60'000};          ///< between requests, and body/tunnel silence
    std::chrono::milliseconds upstream_connect{10'000};
};

struct EngineConfig {
    std::optional<HostPort> proxy_listen = HostPort{"127.0.0.1", 8080};  ///< nullopt: off
    std::optional<HostPort> sni_listen = HostPort{"127.0.0.1", 8443};
    /// CRLs, CA certificates and OCSP over plain HTTP (proxy/revocation/); nullopt: off.
    std::optional<HostPort> revocation_listen = HostPort{"127.0.0.1", 8082};
    /// What the TLS listeners staple when a client sends status_request.
    certgen::StapleMode staple = certgen::StapleMode::truthful;
    std::string events_path;  ///< "" none, "-" stdout
    bool console = true;      ///< one line per connection
    unsigned threads = 1;
    Timeouts timeouts;
    UpstreamMode upstream_mode = UpstreamMode::automatic;
    std::optional<HostPort> upstream_address;  ///< every forwarded connection goes here
    UpstreamVerify upstream_verify = UpstreamVerify::system;
    std::string upstream_ca_file;  ///< for UpstreamVerify::ca_file
    /// --upstream-pool: idle upstream TLS connections reused and sessions resumed.
    bool upstream_pool = true;
    /// --upstream-connect early: a forwarded connection with no scenario rule begins its upstream
    /// connection when its ClientHello arrives (proxy/relay/early_upstream.hpp); false
    /// (`on-request`): at its first request.
    bool upstream_connect_early = true;
    std::optional<std::string> proxy_auth;  ///< "user:pass" required on the explicit proxy
    /// --allow-connect: "host:port" globs a CONNECT may name; empty: any target (tlsfault's own
    /// listeners are refused either way).
    std::vector<scenarios::Glob> allow_connect;
    std::size_t header_limit = 64 * 1024;  ///< request/response header bytes
    std::string lab_domain = "tlsfault.test";
    std::string keylog_path;  ///< SSLKEYLOGFILE; "" none
    /// `--bundle DIR`: a second copy of the event log and of the key log, in the bundle; "" none.
    std::string bundle_events_path;
    std::string bundle_keylog_path;
    /// `tlsfault run NAME|FILE...`: their rules decide first, in this order; empty: default routing only.
    std::vector<std::shared_ptr<const ::tlsfault::scenarios::Scenario>> scenarios;
    /// Which of `scenarios` came from files, to reload when they change.
    std::vector<ScenarioFile> scenario_files;
    /// How often `scenario_files` are checked for edits; nullopt: never (`--reload-interval off`).
    std::optional<std::chrono::milliseconds> reload_interval = std::chrono::milliseconds(500);
    /// The control API (proxy/api/, docs/api.md); nullopt: off.
    std::optional<HostPort> api_listen = HostPort{"127.0.0.1", 8081};
    /// The bearer token every API call (but health) must carry; required when api_listen is set.
    std::string api_token;
};

/// Whether --allow-connect lets a CONNECT name `target` (always, when it is empty).
bool connect_allowed(const EngineConfig& config, const HostPort& target);

/// The warning printed at start when the explicit proxy listens beyond loopback without
/// --proxy-auth (anyone who reaches it can tunnel through this machine); "" otherwise.
std::string proxy_exposure_warning(const EngineConfig& config);

std::string_view to_string(UpstreamMode mode);
std::optional<UpstreamMode> parse_upstream_mode(std::string_view text);

}  // namespace tlsfault::proxy
