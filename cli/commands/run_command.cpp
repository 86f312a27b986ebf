// `tlsfault run`: the interception engine on the command line — options to EngineConfig, the
// lab PKI opened (created if missing), the start-up banner, then serve until SIGINT/SIGTERM.
#include "cli/arg_parser.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/pki_options.hpp"

#include "certgen/ca_store.hpp"
#include "common/duration_text.hpp"
#include "certgen/lab_pki.hpp"
#include "certgen/leaf_cache.hpp"
#include "proxy/api/api_token.hpp"
#include "proxy/engine.hpp"
#include "scenarios/builtin/builtin_catalogue.hpp"
#include "scenarios/model/load_error.hpp"
#include "scenarios/model/scenario_reloader.hpp"

#include <cctype>
#include <cstdlib>
#include <iostream>
#include <thread>

namespace tlsfault::cli {
namespace {

constexpr const char* help_text = R"(Usage: tlsfault run [options] [NAME|FILE...]

Starts the interception engine: an explicit HTTP proxy and an SNI (TLS) listener that show
each client the lab certificate its host asks for (<profile>.tlsfault.test shows that profile,
any other host a good lab certificate) and record what the client did with it.

Scenarios
  NAME|FILE...                 run these scenarios: a built-in name (tlsfault list) or a YAML
                               file (tlsfault explain NAME shows what each does). Their rules
                               decide, first scenario first, first matching rule wins: the
                               certificate, chain, TLS versions/ciphers/ALPN, an alert/reset/stall
                               after the ClientHello, a client certificate request, tcp faults
                               (latency, bandwidth, slicer, limit_data, slow_close, reset,
                               blackhole), and HTTP answers with exact status and reason
                               phrase; every request on a kept-alive connection is matched
                               afresh. Hosts no rule matches keep the default routing above.
                               Events: `rule` per connection and answered request, `fault`,
                               `expectation` (pass/fail) where the rule says what a correct
                               client does. Every problem in every file is printed before
                               anything is bound (exit 2).
  --reload-interval D          how often scenario FILEs are checked for edits; "off" to never
                               reload [500ms]. A valid edit applies to new connections (those
                               in flight keep the version they started with; the file's attempt
                               counts start again) and is logged as scenario_reloaded; an
                               invalid one is printed as file:line:col and logged as
                               scenario_reload_failed, and the last good version stays live.

Listeners
  --proxy-listen ADDR:PORT     explicit proxy (CONNECT and http:// URLs); "off" to disable
                               [127.0.0.1:8080]. Port 0 picks a free port (see the listen event).
  --sni-listen ADDR:PORT       TLS listener for clients sent by hosts file/DNS/iptables; "off"
                               to disable [127.0.0.1:8443]. IPv6 as [::1]:8443.
  --revocation-listen ADDR:PORT  plain-HTTP CRL/OCSP/caIssuers listener the lab certificates
                               point at; "off" to disable [127.0.0.1:8082] (docs/revocation.md)
  --proxy-auth USER:PASS       require Basic Proxy-Authorization on the explicit proxy
  --threads N                  worker threads [number of cores]

Control API (docs/api.md)
  --api-listen ADDR:PORT       HTTP/JSON control API under /api/v1/ (activate scenarios, add
                               runtime faults, wait for a connection's verdict, events and SSE,
                               the CA, /metrics for Prometheus); "off" to disable
                               [127.0.0.1:8081]. A non-loopback address needs --api-token.
  --api-token TOKEN            the bearer token API calls must send (Authorization: Bearer
                               TOKEN) [generated once into <state-dir>/api-token, mode 0600]

Lab PKI
  --state-dir DIR              where the lab CA and keys live [$XDG_DATA_HOME/tlsfault]
  --revocation-url URL         base URL written into CRL/OCSP extensions, for clients on other
                               machines [http://<the revocation listener's address>]
  --staple MODE                OCSP staple sent to clients that ask: none, truthful, good,
                               revoked, unknown, expired, garbage [truthful]
  --lab-domain DOMAIN          the lab domain routed by profile name [tlsfault.test]

Upstream (non-lab hosts)
  --upstream-mode MODE         auto: explicit-proxy traffic is forwarded, SNI traffic answered
                               by origin mode; origin: never forward; forward: forward both [auto]
  --upstream-address HOST:PORT send every forwarded connection here instead of the target
  --upstream-verify WHAT       system (the system trust store), off, or a PEM CA file [system]

Records
  --events FILE                JSON-lines event log; "-" for stdout (the console view then
                               goes to stderr)
  --quiet                      no per-connection console line
  --keylog FILE                TLS key log for Wireshark [$SSLKEYLOGFILE]

Limits (durations: 500ms, 10s, 2m; a bare number is seconds)
  --client-hello-timeout D     accept to a complete ClientHello [10s]
  --handshake-timeout D        the TLS handshake [10s]
  --header-timeout D           reading one request/response header [30s]
  --idle-timeout D             between requests and during bodies/tunnels [60s]
  --upstream-connect-timeout D connecting (and TLS) to an upstream [10s]
  --header-limit BYTES         largest request/response header [65536]

Stop with Ctrl-C (or SIGTERM): listeners close, connections in flight end, the log is flushed.
)";

const OptionSpec specs[] = {
    {"state-dir"}, {"revocation-url"}, {"revocation-listen"}, {"staple"}, {"proxy-listen"}, {"sni-listen"}, {"events"}, {"threads"}, {"quiet", false},
    {"proxy-auth"}, {"upstream-mode"}, {"upstream-address"}, {"upstream-verify"}, {"keylog"},
    {"lab-domain"}, {"client-hello-timeout"}, {"handshake-timeout"}, {"header-timeout"},
    {"idle-timeout"}, {"upstream-connect-timeout"}, {"header-limit"}, {"reload-interval"},
    {"api-listen"}, {"api-token"},
};

std::optional<proxy::HostPort> listen_option(const ParsedArgs& args, const std::string& name,
                                             std::optional<proxy::HostPort> fallback) {
    auto text = args.get_optional(name);
    if (!text) return fallback;
    if (*text == "off") return std::nullopt;
    auto parsed = proxy::parse_host_port(*text);
    if (!parsed) throw UsageError("--" + name + " " + *text + ": expected ADDR:PORT (e.g. 127.0.0.1:8443, [::1]:0) or off");
    return parsed;
}

/// "500ms", "10s", "2m" or a bare number of seconds, positive and at most a day; nullopt otherwise.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    auto parsed = parse_duration_text(text);
    if (!parsed || parsed->count() <= 0) return std::nullopt;
    return parsed;
}

std::chrono::milliseconds duration_option(const ParsedArgs& args, const std::string& name, std::chrono::milliseconds fallback) {
    auto text = args.get_optional(name);
    if (!text) return fallback;
    auto parsed = parse_duration(*text);
    if (!parsed) throw UsageError("--" + name + " " + *text + ": expected a positive duration such as 500ms, 10s or 2m");
    return *parsed;
}

/// --reload-interval: a duration, or "off" (nullopt).
std::optional<std::chrono::milliseconds> reload_interval_option(const ParsedArgs& args, std::optional<std::chrono::milliseconds> fallback) {
    auto text = args.get_optional("reload-interval");
    if (!text) return fallback;
    if (*text == "off") return std::nullopt;
    auto parsed = parse_duration(*text);
    if (!parsed) throw UsageError("--reload-interval " + *text + ": expected a positive duration such as 100ms or 2s, or off");
    return parsed;
}

proxy::EngineConfig config_from(const ParsedArgs& args) {
    proxy::EngineConfig c;
    c.proxy_listen = listen_option(args, "proxy-listen", c.proxy_listen);
    c.sni_listen = listen_option(args, "sni-listen", c.sni_listen);
    c.revocation_listen = listen_option(args, "revocation-listen", c.revocation_listen);
    if (auto staple = args.get_optional("staple")) {
        auto mode = certgen::parse_staple_mode(*staple);
        if (!mode) throw UsageError("--staple " + *staple + ": expected one of " + certgen::staple_mode_names());
        c.staple = *mode;
    }
    if (!c.proxy_listen && !c.sni_listen) throw UsageError("both listeners are off; nothing to run");
    c.events_path = args.get("events");
    c.console = !args.has("quiet");
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    c.threads = static_cast<unsigned>(args.get_int("threads", cores, 1, 256));
    if (auto auth = args.get_optional("proxy-auth")) {
        if (auth->find(':') == std::string::npos) throw UsageError("--proxy-auth expects USER:PASS");
        c.proxy_auth = *auth;
    }
    if (auto mode = args.get_optional("upstream-mode")) {
        auto parsed = proxy::parse_upstream_mode(*mode);
        if (!parsed) throw UsageError("--upstream-mode " + *mode + ": expected auto, origin or forward");
        c.upstream_mode = *parsed;
    }
    if (auto address = args.get_optional("upstream-address")) {
        c.upstream_address = proxy::parse_host_port(*address);
        if (!c.upstream_address) throw UsageError("--upstream-address " + *address + ": expected HOST:PORT");
    }
    std::string verify = args.get("upstream-verify", "system");
    if (verify == "off") c.upstream_verify = proxy::UpstreamVerify::off;
    else if (verify != "system") c.upstream_verify = proxy::UpstreamVerify::ca_file, c.upstream_ca_file = verify;
    const char* keylog_env = std::getenv("SSLKEYLOGFILE");
    c.keylog_path = args.get("keylog", keylog_env ? keylog_env : "");
    c.lab_domain = args.get("lab-domain", c.lab_domain);
    c.timeouts.client_hello = duration_option(args, "client-hello-timeout", c.timeouts.client_hello);
    c.timeouts.handshake = duration_option(args, "handshake-timeout", c.timeouts.handshake);
    c.timeouts.header = duration_option(args, "header-timeout", c.timeouts.header);
    c.timeouts.idle = duration_option(args, "idle-timeout", c.timeouts.idle);
    c.timeouts.upstream_connect = duration_option(args, "upstream-connect-timeout", c.timeouts.upstream_connect);
    c.header_limit = static_cast<std::size_t>(args.get_int("header-limit", 65536, 1024, 16 * 1024 * 1024));
    c.reload_interval = reload_interval_option(args, c.reload_interval);
    c.api_listen = listen_option(args, "api-listen", c.api_listen);
    c.api_token = args.get("api-token");
    if (args.has("api-token") && c.api_token.empty()) throw UsageError("--api-token: give a non-empty token");
    if (c.api_listen && !proxy::is_loopback_host(c.api_listen->host) && c.api_token.empty())
        throw UsageError("--api-listen " + c.api_listen->str() +
                         ": a non-loopback address needs an explicit --api-token (anyone who can reach it could change the faults)");
    return c;
}

/// `text` with everything but letters, digits and -._~ percent-encoded (for a URL query value).
std::string url_encoded(const std::string& text) {
    static const char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') out += static_cast<char>(c);
        else out += '%', out += digits[c >> 4], out += digits[c & 15];
    }
    return out;
}

void print_banner(proxy::Engine& engine, const proxy::EngineConfig& config, const std::filesystem::path& root_pem,
                  const std::string& token_source) {
    engine.console_line("tlsfault run: interception engine ready (" + std::to_string(config.threads) + " threads, upstream mode " +
                        std::string(proxy::to_string(config.upstream_mode)) + ")");
    std::string sni_address;
    for (const auto& l : engine.listeners()) {
        if (l.kind != "api")
            engine.console_line((l.kind == "proxy" ? "  explicit proxy  " : l.kind == "sni" ? "  SNI listener    " : "  CRL/OCSP (http) ") +
                                l.address.str());
        if (l.kind == "sni") sni_address = l.address.str();
    }
    engine.console_line("  lab root CA     " + root_pem.string() + "   (trust it to see only the intended failures)");
    if (!config.events_path.empty()) engine.console_line("  event log       " + config.events_path);
    for (const auto& l : engine.listeners())
        if (l.kind == "api") {
            engine.console_line("  control API     http://" + l.address.str() + "/api/v1/   (token: " + token_source + ")");
            engine.console_line("  trainer's board http://" + l.address.str() + "/?token=" + url_encoded(config.api_token) + "   (docs/board.md)");
        }
    if (!sni_address.empty())
        engine.console_line("  try:  curl --cacert " + root_pem.string() + " --connect-to expired." + config.lab_domain +
                            ":443:" + sni_address + " https://expired." + config.lab_domain +
                            "/\n        (curl refuses the expired certificate; tlsfault records its certificate_expired alert)");
    else
        engine.console_line("  try:  curl --cacert " + root_pem.string() + " -x http://" + engine.listeners().front().address.str() +
                            " https://expired." + config.lab_domain + "/");
}

/// Loads every NAME|FILE into `config` (files through a reloader, kept for the engine to poll);
/// false (each problem printed on stderr) when any fails.
bool load_scenarios(const std::vector<std::string>& names, proxy::EngineConfig& config) {
    bool ok = true;
    for (const auto& name : names) {
        try {
            if (scenarios::names_scenario_file(name)) {
                auto reloader = std::make_shared<scenarios::ScenarioReloader>(name);
                config.scenario_files.push_back({config.scenarios.size(), reloader});
                config.scenarios.push_back(reloader->current());
            } else {
                config.scenarios.push_back(scenarios::resolve_scenario(name));
            }
        } catch (const scenarios::LoadError& e) {
            ok = false;
            for (const auto& problem : e.problems()) std::cerr << problem.to_string() << "\n";
        }
    }
    return ok;
}

}  // namespace

int run_run(std::span<const std::string> raw) {
    auto args = parse_args(raw, specs, "run");
    if (args.has("help")) {
        std::cout << help_text;
        return 0;
    }
    auto config = config_from(args);
    if (!load_scenarios(args.positionals(), config)) return 2;
    const auto state_dir = state_dir_option(args);
    certgen::LabPki pki(state_dir, mint_options(args));
    std::string token_source = "--api-token";
    if (config.api_listen && config.api_token.empty()) {
        config.api_token = proxy::load_or_create_api_token(state_dir);
        token_source = proxy::api_token_path(state_dir).string();
    }
    const certgen::KeyType warm[] = {certgen::KeyType::ec_p256};
    pki.keys().warm_up(warm);  // the common case pays no key generation on its first connection
    certgen::LeafCache leaves(pki.minter());
    proxy::Engine engine(config, pki, leaves, args.has("revocation-url"));
    print_banner(engine, config, pki.cas().root().cert_path, token_source);
    for (const auto& scenario : config.scenarios) engine.console_line("  scenario        " + scenario->name + ": " + scenario->title);
    if (config.reload_interval)
        for (const auto& file : config.scenario_files)
            engine.console_line("  reloads         " + file.reloader->file().string() + " when it changes (checked every " +
                                std::to_string(config.reload_interval->count()) + " ms)");
    return engine.run();
}

}  // namespace tlsfault::cli
