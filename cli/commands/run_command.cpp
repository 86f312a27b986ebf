// `tlsfault run`: the interception engine on the command line — options to EngineConfig, the
// lab PKI opened (created if missing), the start-up banner, then serve until SIGINT/SIGTERM.
#include "cli/arg_parser.hpp"
#include "cli/bundle/run_bundle.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/pki_options.hpp"

#include "certgen/ca_store.hpp"
#include "common/duration_text.hpp"
#include "certgen/lab_pki.hpp"
#include "certgen/leaf_cache.hpp"
#include "proxy/api/api_token.hpp"
#include "proxy/engine.hpp"
#include "scenarios/builtin/builtin_catalogue.hpp"
#include "scenarios/builtin/scenario_text.hpp"
#include "scenarios/model/load_error.hpp"
#include "scenarios/model/scenario_reloader.hpp"

#include <cctype>
#include <cstdlib>
#include <iostream>
#include <thread>

namespace tlsfault::cli {
namespace {

constexpr const char* help_text = R"(Usage: tlsfault run [options] [NAME|FILE|DIR...]
       tlsfault run [options] BUNDLE_DIR

Starts the interception engine: an explicit HTTP proxy and an SNI (TLS) listener that show
each client the lab certificate its host asks for (<profile>.tlsfault.test shows that profile,
any other host a good lab certificate) and record what the client did with it.

Scenarios
  NAME|FILE|DIR...             run these scenarios: a built-in name (tlsfault list) or a YAML
                               file (tlsfault explain NAME shows what each does). Their rules
                               decide, first scenario first, first matching rule wins: the
                               certificate, chain, TLS versions/ciphers/ALPN, an alert, reset,
                               close or stall after the ClientHello, a client certificate
                               request, tcp faults (`tlsfault list --faults` lists every
                               kind), and HTTP answers with exact
                               status and reason phrase; every request on a kept-alive
                               connection is matched afresh. Hosts no rule matches keep the
                               default routing above; a host a scenario names is never
                               forwarded to the real server unless a rule says `http:
                               forward`. The banner ends with each scenario's client lines,
                               with this run's ports and lab root.
                               Events: `rule` per connection and answered request, `fault`,
                               `expectation` (pass/fail) where the rule says what a correct
                               client does. Every problem in every file is printed before
                               anything is bound (exit 2). A DIR runs every *.yaml (and
                               *.yml) file in it, sorted by name.
  BUNDLE_DIR                   replay a repro bundle (a folder with bundle.json): its scenario
                               files (seeds included) and recorded flags; flags given here win.
                               Its lab CA is used when it holds the keys (--with-keys), else the
                               local lab CA, as the banner says (docs/bundle.md)
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
                               (binding a non-loopback address without it prints a warning)
  --allow-connect GLOBS        HOST:PORT globs, comma-separated, a CONNECT may name (e.g.
                               '*.example.test:443'); others get 403 [any target]. A CONNECT
                               to tlsfault's own listeners is always refused (403).
  --threads N                  engine threads, each with its own connections [number of cores]

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
  --upstream-pool on|off       keep idle upstream TLS connections (per host, port, name and
                               trust; 64 per host, 512 in all, 20s idle) for later requests and
                               resume upstream TLS sessions; a connection with tcp faults always
                               gets its own fresh one [on]
  --upstream-connect WHEN      early: connect upstream as soon as the ClientHello names the
                               host, while the client finishes its handshake (a connection a
                               scenario rule applies to, or a host a scenario names, waits for
                               its request; one the client never uses waits in the pool for
                               the next client); on-request: at the first request [early]

Records
  --events FILE                JSON-lines event log; "-" for stdout (the console view then
                               goes to stderr)
  --quiet                      no per-connection console line
  --keylog FILE                TLS key log for Wireshark [$SSLKEYLOGFILE]
  --bundle DIR                 write a repro bundle: DIR (a new folder) holds the scenario files as
                               run, the lab CA certificates, events.jsonl, keylog.txt, README.md
                               (the verdicts, the client messages, how to replay), bundle.json and
                               replay.sh, kept consistent as the run goes (the README's verdicts
                               every 3 s); DIR.tar.gz on stop
  --with-keys                  put the lab CA private keys in the bundle too, so a replay serves
                               the same CA (the bundle is then a secret: anyone with it can mint
                               certificates your lab clients trust)

Limits (durations: 500ms, 1.5s, 2m, 1h; a bare number is seconds)
  --client-hello-timeout D     accept to a complete ClientHello [10s]
  --handshake-timeout D        the TLS handshake; waits for a linked revocation fetch [30s]
  --header-timeout D           reading one request/response header [30s]
  --idle-timeout D             between requests and during bodies/tunnels [60s]
  --upstream-connect-timeout D connecting (and TLS) to an upstream [10s]
  --header-limit BYTES         largest request/response header [65536]

Stop with Ctrl-C (or SIGTERM): listeners close, connections in flight end, the log is flushed.
At start, run restarts itself once (same PID) with GLIBC_TUNABLES=glibc.malloc.tcache_count=200
(a deeper malloc cache; docs/engine.md); set GLIBC_TUNABLES yourself, even empty, to opt out.
)";

const OptionSpec specs[] = {
    {"state-dir"},
    {"revocation-url"},
    {"revocation-listen"},
    {"staple"},
    {"proxy-listen"},
    {"sni-listen"},
    {"events"},
    {"threads"},
    {"quiet", false},
    {"proxy-auth"},
    {"upstream-mode"},
    {"upstream-address"},
    {"upstream-verify"},
    {"upstream-pool"},
    {"upstream-connect"},
    {"keylog"},
    {"lab-domain"},
    {"client-hello-timeout"},
    {"handshake-timeout"},
    {"header-timeout"},
    {"idle-timeout"},
    {"upstream-connect-timeout"},
    {"header-limit"},
    {"reload-interval"},
    {"bundle"},
    {"with-keys", false},
    {"api-listen"},
    {"api-token"},
    {"allow-connect"},
};

/// --allow-connect "GLOB:PORT,...": host:port globs a CONNECT may name (case-insensitive).
std::vector<scenarios::Glob> allow_connect_option(const ParsedArgs& args) {
    std::vector<scenarios::Glob> globs;
    auto text = args.get_optional("allow-connect");
    if (!text) return globs;
    std::string_view rest = *text;
    while (!rest.empty() || globs.empty()) {
        auto comma = rest.find(',');
        std::string pattern(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        std::string error;
        auto glob = pattern.find(':') != std::string::npos ? scenarios::Glob::compile(pattern, true, error) : std::nullopt;
        if (!glob)
            throw UsageError("--allow-connect " + *text + ": '" + pattern + "' is not a HOST:PORT glob " +
                             (error.empty() ? "(e.g. '*.example.test:443', '10.0.0.*:*')" : "(" + error + ")"));
        globs.push_back(*glob);
    }
    return globs;
}

std::optional<proxy::HostPort> listen_option(const ParsedArgs& args, const std::string& name, std::optional<proxy::HostPort> fallback) {
    auto text = args.get_optional(name);
    if (!text) return fallback;
    if (*text == "off") return std::nullopt;
    auto parsed = proxy::parse_host_port(*text);
    if (!parsed) throw UsageError("--" + name + " " + *text + ": expected ADDR:PORT (e.g. 127.0.0.1:8443, [::1]:0) or off");
    return parsed;
}

/// A duration (common/duration_text.hpp: "500ms", "1.5s", "2m", "1h", or a bare number of
/// seconds), positive and at most a day; nullopt otherwise.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    auto parsed = parse_duration_text(text);
    if (!parsed || parsed->count() <= 0) return std::nullopt;
    return parsed;
}

std::chrono::milliseconds duration_option(const ParsedArgs& args, const std::string& name, std::chrono::milliseconds fallback) {
    auto text = args.get_optional(name);
    if (!text) return fallback;
    auto parsed = parse_duration(*text);
    if (!parsed)
        throw UsageError("--" + name + " " + *text + ": expected a positive duration such as 500ms, 10s, 2m or 1h (at most a day)");
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
    if (verify == "off")
        c.upstream_verify = proxy::UpstreamVerify::off;
    else if (verify != "system")
        c.upstream_verify = proxy::UpstreamVerify::ca_file, c.upstream_ca_file = verify;
    std::string pool = args.get("upstream-pool", "on");
    if (pool != "on" && pool != "off") throw UsageError("--upstream-pool " + pool + ": expected on or off");
    c.upstream_pool = pool == "on";
    std::string when = args.get("upstream-connect", "early");
    if (when != "early" && when != "on-request") throw UsageError("--upstream-connect " + when + ": expected early or on-request");
    c.upstream_connect_early = when == "early";
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
    c.allow_connect = allow_connect_option(args);
    return c;
}

/// The start-up banner's lines, printed together once everything is in them.
using Banner = std::vector<std::string>;

/// The root a client must trust to see `scenario`'s failure: the lab copy of a mirrored chain's
/// root when a rule mirrors one (the lab root would only show "unable to get local issuer").
std::filesystem::path root_for(const scenarios::Scenario& scenario, const certgen::LabPki& pki) {
    for (const auto& rule : scenario.rules)
        if (rule.certificate && rule.certificate->mirror)
            if (auto root = pki.mirrored_root_file(*rule.certificate->mirror->source); !root.empty()) return root;
    return pki.cas().root().cert_path;
}

/// The client lines of each scenario with this run's real ports and CA path: copied into a
/// shell, they show the failure (`tlsfault run` itself is left out: it is running).
void add_scenario_lines(Banner& banner, const proxy::Engine& engine, const proxy::EngineConfig& config, const certgen::LabPki& pki) {
    scenarios::ClientLineContext where;
    where.proxy = where.sni = where.revocation = "";
    for (const auto& l : engine.listeners()) {
        std::string* slot = l.kind == proxy::ListenerKind::proxy        ? &where.proxy
                            : l.kind == proxy::ListenerKind::sni        ? &where.sni
                            : l.kind == proxy::ListenerKind::revocation ? &where.revocation
                                                                        : nullptr;
        if (slot && slot->empty()) *slot = l.address.str();  // the first of a kind is the one clients are told about
    }
    for (const auto& scenario : config.scenarios) {
        where.ca = root_for(*scenario, pki).string();
        banner.push_back("  try " + scenario->name + ":");
        for (const auto& line : scenarios::try_commands(*scenario, where))
            if (!line.starts_with("tlsfault run ")) banner.push_back("    " + line);
    }
}

/// `text` with everything but letters, digits and -._~ percent-encoded (for a URL query value).
std::string url_encoded(const std::string& text) {
    static const char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
            out += static_cast<char>(c);
        else
            out += '%', out += digits[c >> 4], out += digits[c & 15];
    }
    return out;
}

void add_listener_lines(Banner& banner, const proxy::Engine& engine, const proxy::EngineConfig& config,
                        const std::filesystem::path& root_pem, const std::string& token_source) {
    banner.push_back("tlsfault run: interception engine ready (" + std::to_string(config.threads) + " threads, upstream mode " +
                     std::string(proxy::to_string(config.upstream_mode)) + ")");
    std::string sni_address;
    for (const auto& l : engine.listeners()) {
        if (l.kind != proxy::ListenerKind::api)
            banner.push_back((l.kind == proxy::ListenerKind::proxy ? "  explicit proxy  "
                              : l.kind == proxy::ListenerKind::sni ? "  SNI listener    "
                                                                   : "  CRL/OCSP (http) ") +
                             l.address.str());
        if (l.kind == proxy::ListenerKind::sni) sni_address = l.address.str();
    }
    banner.push_back("  lab root CA     " + root_pem.string() + "   (trust it to see only the intended failures)");
    if (!config.events_path.empty()) banner.push_back("  event log       " + config.events_path);
    for (const auto& l : engine.listeners())
        if (l.kind == proxy::ListenerKind::api) {
            banner.push_back("  control API     http://" + l.address.str() + "/api/v1/   (token: " + token_source + ")");
            banner.push_back("  trainer's board http://" + l.address.str() + "/?token=" + url_encoded(config.api_token) +
                             "   (docs/board.md)");
        }
    if (auto warning = proxy::proxy_exposure_warning(config); !warning.empty()) banner.push_back(warning);
    if (!config.scenarios.empty()) return;  // each scenario's own lines follow
    if (!sni_address.empty()) {             // console lines are single lines (control characters are escaped)
        banner.push_back("  try:  curl --cacert " + root_pem.string() + " --connect-to expired." + config.lab_domain +
                         ":443:" + sni_address + " https://expired." + config.lab_domain + "/");
        banner.push_back("        (curl refuses the expired certificate; tlsfault records its certificate_expired alert)");
    } else {
        banner.push_back("  try:  curl --cacert " + root_pem.string() + " -x http://" + engine.listeners().front().address.str() +
                         " https://expired." + config.lab_domain + "/");
    }
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

/// The --bundle writer (nullptr without --bundle); points the engine's log copies into it.
std::unique_ptr<BundleWriter> open_bundle(const ParsedArgs& args, proxy::EngineConfig& config) {
    if (args.has("with-keys") && !args.has("bundle")) throw UsageError("--with-keys only applies with --bundle DIR");
    auto dir = args.get_optional("bundle");
    if (!dir) return nullptr;
    auto bundle = std::make_unique<BundleWriter>(*dir, args.has("with-keys"));
    config.bundle_events_path = bundle->events_path();
    config.bundle_keylog_path = bundle->keylog_path();
    return bundle;
}

/// Packs the bundle after the run; 0, or 1 with the reason on stderr.
int finish_bundle(BundleWriter& bundle, const std::string& dir) {
    try {
        auto archive = bundle.finish();
        std::cerr << "tlsfault: repro bundle written: " << dir << " and " << archive.string() << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "tlsfault: repro bundle: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace

int run_run(std::span<const std::string> raw) {
    auto args = parse_args(raw, specs, "run");
    if (args.has("help")) {
        std::cout << help_text;
        return 0;
    }
    auto replay = plan_replay(args, specs, TLSFAULT_VERSION);
    if (replay) args = parse_args(replay->args, specs, "run");
    auto config = config_from(args);
    if (!load_scenarios(expand_scenario_dirs(args.positionals()), config)) return 2;
    auto bundle = open_bundle(args, config);
    const auto state_dir = state_dir_option(args);
    certgen::LabPki pki(state_dir, mint_options(args), replay ? replay->ca_state_dir : std::filesystem::path());
    std::string token_source = "--api-token";
    if (config.api_listen && config.api_token.empty()) {
        config.api_token = proxy::load_or_create_api_token(state_dir);
        token_source = proxy::api_token_path(state_dir).string();
    }
    const certgen::KeyType warm[] = {certgen::KeyType::ec_p256};
    pki.keys().warm_up(warm);  // the common case pays no key generation on its first connection
    certgen::LeafCache leaves(pki.minter());
    proxy::Engine engine(config, pki, leaves, args.has("revocation-url"));
    Banner banner;
    add_listener_lines(banner, engine, config, pki.cas().root().cert_path, token_source);
    for (const auto& scenario : config.scenarios) {
        banner.push_back("  scenario        " + scenario->name + ": " + scenario->title);
        for (const auto& rule : scenario->rules)
            if (rule.certificate && rule.certificate->mirror)
                banner.push_back("  mirrored chain  " + rule.certificate->mirror->file.string() + ": trust " +
                                 pki.mirrored_root_file(*rule.certificate->mirror->source).string() + " (the lab copy of its root)");
    }
    add_scenario_lines(banner, engine, config, pki);
    if (config.reload_interval)
        for (const auto& file : config.scenario_files)
            banner.push_back("  reloads         " + file.reloader->file().string() + " when it changes (checked every " +
                             std::to_string(config.reload_interval->count()) + " ms)");
    for (const auto& line : replay ? replay->banner : std::vector<std::string>{}) banner.push_back(line);
    if (bundle) {
        bundle->start(bundle_scenarios(config), pki.cas(), recorded_options(args, specs), command_line_text(raw), TLSFAULT_VERSION);
        banner.push_back("  repro bundle    " + args.get("bundle") + (args.has("with-keys") ? " (with the CA keys)" : "") +
                         "; packed as .tar.gz when tlsfault stops");
    }
    engine.console_lines(banner);  // in one write: whoever reads the console sees all of it or none
    int code = engine.run();
    return bundle && finish_bundle(*bundle, args.get("bundle")) != 0 ? 1 : code;
}

}  // namespace tlsfault::cli
