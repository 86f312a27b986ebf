// The pieces of the model on their own: units, globs, inline certificate
// profiles, actions' defaults, and the fault registry (with its documentation).
#include "tests/unit/scenarios/scenario_test_helpers.hpp"

#include "certgen/lab_pki.hpp"
#include "certgen/pem_io.hpp"
#include "scenarios/model/faults/fault_describe.hpp"
#include "scenarios/model/faults/fault_registry.hpp"
#include "scenarios/model/glob.hpp"
#include "scenarios/model/units.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <unistd.h>
#include <sstream>

using namespace tlsfault::scenarios;
using namespace tlsfault::scenarios::test;
using namespace std::chrono_literals;

TEST_CASE("units: durations, sizes and rates need explicit units") {
    CHECK(std::get<std::chrono::milliseconds>(parse_duration("300ms")) == 300ms);
    CHECK(std::get<std::chrono::milliseconds>(parse_duration("1.5 s")) == 1500ms);
    CHECK(std::get<std::chrono::milliseconds>(parse_duration("2m")) == 120000ms);
    CHECK(std::get<std::string>(parse_duration("300")) == "'300' needs a unit (ms, s, m or h, e.g. 300ms or 5s)");
    CHECK(std::get<std::string>(parse_duration("-1s")) == "expected a number with a unit (ms, s, m or h, e.g. 300ms or 5s), got '-1s'");
    CHECK(std::get<std::uint64_t>(parse_size("64KB")) == 65536);
    CHECK(std::get<std::uint64_t>(parse_size("100 bytes")) == 100);
    CHECK(std::get<std::uint64_t>(parse_rate("10KB/s")) == 10240);
    CHECK(std::get<std::string>(parse_rate("10KB")) == "'10KB' needs a rate unit (bytes/s, KB/s or MB/s, e.g. 10KB/s)");
    CHECK(format_duration(5000ms) == "5s");
    CHECK(format_size(2048) == "2 KB");
}

TEST_CASE("glob: wildcards, classes, escapes and case") {
    std::string error;
    auto host = Glob::compile("*.contoso.com", true, error);
    REQUIRE(host);
    CHECK(host->matches("CMG.CONTOSO.COM"));
    CHECK_FALSE(host->matches("contoso.com"));
    auto path = Glob::compile("/CCM_[A-Z]*/v?/\\*", false, error);
    REQUIRE(path);
    CHECK(path->matches("/CCM_Proxy/v2/*"));
    CHECK_FALSE(path->matches("/CCM_Proxy/v2/x"));
    CHECK_FALSE(path->matches("/ccm_proxy/v2/*"));
    auto literal = Glob::compile("a\\[b", false, error);
    REQUIRE(literal);
    CHECK(literal->is_literal());
    CHECK(literal->literal_text() == "a[b");
    CHECK_FALSE(Glob::compile("a]", false, error));
    CHECK(error == "bad pattern 'a]': ']' without '['");
}

TEST_CASE("certificate: a profile name gives that certgen profile unchanged") {
    auto s = load_rules("  - certificate: wrong-host\n");
    const auto& c = *s->rules[0].certificate;
    CHECK_FALSE(c.is_inline);
    CHECK(c.profile.name == "wrong-host");
    CHECK(c.profile.dns_names == std::vector<std::string>{"some-other-host.tlsfault.test"});
}

TEST_CASE("certificate: an inline profile starts from a base and overrides any field") {
    auto s = load_rules(
        "  - certificate:\n"
        "      profile: expired\n"
        "      common_name: CMG.CONTOSO.COM\n"
        "      dns_names: []\n"
        "      not_after: 2020-10-01T22:03:24Z\n"
        "      key_type: rsa-2048\n"
        "      digest: sha1\n"
        "      issuer: rogue\n"
        "      chain: leaf-only\n"
        "      extended_key_usage: [serverAuth, clientAuth]\n"
        "      key_usage: [digitalSignature, keyEncipherment]\n"
        "      crl_urls: [\"{unreachable_url}/crl/{issuer}.crl\"]\n"
        "      must_staple: true\n"
        "      revoked: true\n"
        "      revocation_reason: 4\n");
    const auto& c = *s->rules[0].certificate;
    using namespace tlsfault::certgen;
    CHECK(c.is_inline);
    CHECK(c.base_profile == "expired");
    CHECK(c.profile.name == "t/rules[0]");
    CHECK(c.profile.common_name == "CMG.CONTOSO.COM");
    CHECK(c.profile.dns_names.empty());
    CHECK(c.profile.not_after.kind == TimeBound::Kind::absolute);
    CHECK(c.profile.not_after.seconds == 1601589804);
    CHECK(c.profile.not_before.seconds == -400 * 86400);  // kept from "expired"
    CHECK(c.profile.key_type == KeyType::rsa_2048);
    CHECK(c.profile.digest == Digest::sha1);
    CHECK(c.profile.issuer == IssuerKind::rogue);
    CHECK(c.profile.chain == ChainKind::leaf_only);
    CHECK(c.profile.extended_key_usage == std::vector<ExtendedKeyUsage>{ExtendedKeyUsage::server_auth, ExtendedKeyUsage::client_auth});
    CHECK(c.profile.key_usage == (ku_digital_signature | ku_key_encipherment));
    CHECK(c.profile.crl_urls == std::vector<std::string>{"{unreachable_url}/crl/{issuer}.crl"});
    CHECK(c.profile.must_staple);
    CHECK(c.profile.revoked);
    CHECK(c.profile.revocation_reason == 4);
}

TEST_CASE("certificate: inline without a profile starts from good, relative times") {
    auto s = load_rules("  - certificate: {not_before: -10d, not_after: +12h}\n");
    const auto& p = s->rules[0].certificate->profile;
    CHECK(s->rules[0].certificate->base_profile == "good");
    CHECK(p.not_before.kind == tlsfault::certgen::TimeBound::Kind::relative);
    CHECK(p.not_before.seconds == -864000);
    CHECK(p.not_after.seconds == 43200);
}

TEST_CASE("chain: kinds, lab CAs and files relative to the scenario") {
    auto dir = std::filesystem::temp_directory_path() / ("tlsfault-chain-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    // A real certificate: PEM files are parsed when the scenario loads.
    std::ofstream(dir / "extra.pem") << tlsfault::certgen::to_pem(tlsfault::certgen::LabPki::in_memory()->cas().root().cert.get());
    auto s = load_scenario_text(header + "  - chain: {extra: [rogue-root, extra.pem]}\n  - chain: reversed\n", "t.yaml", dir);
    const auto& chain = *s->rules[0].chain;
    CHECK(chain.kind == ChainAction::Kind::extra);
    REQUIRE(chain.certificates.size() == 2);
    CHECK(chain.certificates[0].source == ChainCertificate::Source::rogue_root);
    CHECK(chain.certificates[1].file == dir / "extra.pem");
    CHECK(chain.certificates[1].certificate != nullptr);
    CHECK(s->rules[1].chain->kind == ChainAction::Kind::reversed);
    auto missing = problems_of(header + "  - chain: {custom: [nothere.pem]}\n", dir);
    REQUIRE(missing.size() == 1);
    CHECK(missing[0] == "t.yaml:5:22: rules[0].chain.custom[0]: no such file: " + (dir / "nothere.pem").string());
    std::filesystem::remove_all(dir);
}

TEST_CASE("tls and client_cert: shorthands and defaults") {
    auto s = load_rules(
        "  - tls: {min_version: \"1.2\", max_version: \"1.2\", ciphers: [ECDHE-RSA-AES128-GCM-SHA256], groups: [X25519, P-256], "
        "alpn: http/1.1, stall: {duration: 3s, then: close}}\n"
        "  - tls: {alert: {alert: protocol_version, linger: 200ms}}\n"
        "  - client_cert: {mode: require, ca_list: bogus}\n"
        "  - client_cert: {mode: request}\n"
        "  - client_cert: {mode: require, on_failure: {missing: continue, expired: bad_certificate}}\n");
    const auto& t = *s->rules[0].tls;
    CHECK(t.min_version == TlsVersion::tls1_2);
    CHECK(t.groups == std::vector<std::string>{"X25519", "P-256"});
    CHECK(t.alpn == "http/1.1");
    const auto* stall = t.fault<HandshakeStallSettings>();
    REQUIRE(stall);
    CHECK(stall->duration == 3s);
    CHECK(stall->then == HandshakeStallSettings::Then::close);
    const auto* alert = s->rules[1].tls->fault<TlsAlertSettings>();
    REQUIRE(alert);
    CHECK(alert->alert == TlsAlert::protocol_version);
    CHECK(alert->linger == 200ms);
    const auto& required = *s->rules[2].client_cert;
    CHECK(required.ca_list == ClientCertAction::CaList::bogus);
    CHECK(required.on_missing == TlsAlert::certificate_required);
    CHECK(required.on_untrusted == TlsAlert::unknown_ca);
    CHECK(required.on_expired == TlsAlert::certificate_expired);
    const auto& requested = *s->rules[3].client_cert;
    CHECK_FALSE(requested.on_missing);
    const auto& mixed = *s->rules[4].client_cert;
    CHECK_FALSE(mixed.on_missing);
    CHECK(mixed.on_untrusted == TlsAlert::unknown_ca);
    CHECK(mixed.on_expired == TlsAlert::bad_certificate);
}

TEST_CASE("http: exact reason phrase, headers in order, breakage, forward") {
    auto s = load_rules(
        "  - http:\n      status: 403\n      reason: CMGConnector_Forbidden\n"
        "      headers: {X-B: \"2\", X-A: \"1\"}\n      body: \"no\\n\"\n      delay: 250ms\n      truncate_body: 1 bytes\n"
        "  - http: forward\n  - http: {status: 418}\n");
    const auto& h = *s->rules[0].http;
    CHECK(h.reason == "CMGConnector_Forbidden");
    CHECK(h.headers == std::vector<std::pair<std::string, std::string>>{{"X-B", "2"}, {"X-A", "1"}});
    CHECK(h.body == "no\n");
    CHECK(h.delay == 250ms);
    CHECK(h.truncate_body == 1u);
    CHECK(s->rules[1].http->forward);
    CHECK(s->rules[2].http->reason.empty());
    CHECK(load_rules("  - http: {status: 403}\n")->rules[0].http->reason == "Forbidden");
}

TEST_CASE("faults: envelope first, defaults before attributes, every kind registered") {
    auto s = load_rules(
        "  - tcp:\n"
        "      - {type: latency, name: slow, latency: 300ms, jitter: 50ms, probability: 0.25, stream: upstream}\n"
        "      - {type: latency}\n"
        "      - {type: slicer, average_size: 16 bytes, size_variation: 4 bytes, delay: 5ms}\n"
        "      - {type: blackhole}\n");
    const auto& f = s->rules[0].tcp;
    REQUIRE(f.size() == 4);
    CHECK(f[0].name == "slow");
    CHECK(f[0].probability == 0.25);
    CHECK(f[0].stream == FaultStream::upstream);
    CHECK(std::get<LatencySettings>(f[0].settings).jitter == 50ms);
    CHECK(f[1].name == "latency_downstream");
    CHECK(std::get<LatencySettings>(f[1].settings).latency == 0ms);
    CHECK(std::get<SlicerSettings>(f[2].settings).size_variation == 4);
    CHECK(std::get<BlackholeSettings>(f[3].settings).timeout == 0ms);

    std::vector<std::string> names;
    for (const auto& k : builtin_fault_registry().kinds()) names.emplace_back(k.name);
    CHECK(names == std::vector<std::string>{"latency", "bandwidth", "reset", "slow_close", "blackhole", "limit_data", "slicer", "corrupt",
                                            "tls_alert", "handshake_reset", "handshake_close", "handshake_stall"});
    FaultRegistry twice;
    register_builtin_faults(twice);
    CHECK_THROWS_AS(register_builtin_faults(twice), std::logic_error);
}

TEST_CASE("faults: docs/scenarios.md documents every kind and attribute") {
    std::ifstream in(std::string(TLSFAULT_SOURCE_DIR) + "/docs/scenarios.md");
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    const std::string doc = text.str();
    for (const auto& kind : builtin_fault_registry().kinds()) {
        CAPTURE(kind.name);
        CHECK(doc.find("### `" + std::string(kind.name) + "`") != std::string::npos);
        for (const auto& a : kind.attributes) {
            CAPTURE(a.name);
            CHECK(doc.find("| `" + std::string(a.name) + "` |") != std::string::npos);
        }
        // A tls kind's key is a row of the `tls` table that names the kind.
        if (kind.layer == FaultLayer::tls) CHECK(doc.find("| `" + std::string(kind.tls.key) + "` |") != std::string::npos);
    }
}

TEST_CASE("fault descriptions: one line per kind, in the units the files use") {
    CHECK(describe(FaultSettings{LatencySettings{300ms, 100ms}}) == "latency 300ms ± 100ms");
    CHECK(describe(FaultSettings{LatencySettings{2s, 0ms}}) == "latency 2s");
    CHECK(describe(FaultSettings{BandwidthSettings{10 * 1024}}) == "bandwidth 10 KB/s");
    CHECK(describe(FaultSettings{ResetSettings{}}) == "reset at once");
    CHECK(describe(FaultSettings{ResetSettings{2s}}) == "reset after 2s");
    CHECK(describe(FaultSettings{SlowCloseSettings{5s}}) == "slow_close 5s");
    CHECK(describe(FaultSettings{BlackholeSettings{}}) == "blackhole until the client gives up");
    CHECK(describe(FaultSettings{BlackholeSettings{1s}}) == "blackhole, closed after 1s");
    CHECK(describe(FaultSettings{LimitDataSettings{100}}) == "limit_data 100 bytes");
    CHECK(describe(FaultSettings{SlicerSettings{16, 8, 5ms}}) == "slicer 16 bytes ± 8 bytes, 5ms apart");
    CHECK(describe(FaultSettings{HandshakeStallSettings{10s, HandshakeStallSettings::Then::close}}) == "stall 10s, then close");
    CHECK(describe(FaultSettings{CorruptSettings{8 * 1024}}) == "corrupt the byte after 8 KB");
}
