// The built-in catalogue: every file loads, is named after its file, and the field cases carry
// the host names, paths and status texts of ../shared/field-cases.md byte for byte.
#include "scenarios/builtin/builtin_catalogue.hpp"
#include "scenarios/builtin/scenario_text.hpp"
#include "certgen/catalogue.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

using namespace tlsfault::scenarios;

namespace {

const Rule* rule_with_http(const Scenario& s, int status) {
    for (const auto& r : s.rules)
        if (r.http && r.http->status == status) return &r;
    return nullptr;
}

const Scenario& builtin(const std::string& name) {
    auto s = find_builtin_scenario(name);
    REQUIRE_MESSAGE(s, "no built-in scenario " << name);
    return *s;
}

// The request the client makes, checked against the rule's own conditions.
bool rule_matches_url(const Rule& r, const std::string& host, const std::string& path, const std::string& query) {
    ConnectionFacts c;
    c.host = host;
    c.port = 443;
    c.listener = ListenerKind::proxy;
    RequestFacts q;
    q.method = "GET";
    q.path = path;
    q.query = query;
    return r.match.matches_connection(c) && r.match.matches_request(q);
}

}  // namespace

TEST_CASE("catalogue: every embedded file loads and is named after its file") {
    REQUIRE(builtin_scenario_files().size() >= 60);
    for (const auto& file : builtin_scenario_files()) {
        CAPTURE(file.file_name);
        std::shared_ptr<const Scenario> s;
        CHECK_NOTHROW(s = load_scenario_text(file.bytes, builtin_file_label(file.file_name)));
        if (!s) continue;
        CHECK(std::string(file.file_name) == s->name + ".yaml");
        CHECK(s->group != "custom");
        CHECK(!s->description.symptom.empty());
        CHECK(std::any_of(s->rules.begin(), s->rules.end(), [](const Rule& r) { return r.expect.has_value(); }));
    }
    CHECK(builtin_scenarios().size() == builtin_scenario_files().size());
}

TEST_CASE("catalogue: one scenario per certgen profile, using that profile") {
    for (const auto& profile : tlsfault::certgen::builtin_profiles()) {
        CAPTURE(profile.name);
        const Scenario& s = builtin("cert-" + profile.name);
        CHECK(s.group == "certificate");
        REQUIRE(s.rules.front().certificate);
        CHECK(s.rules.front().certificate->profile.name == profile.name);
    }
}

TEST_CASE("catalogue: every group the issue asks for is there") {
    std::set<std::string> names;
    for (const auto& s : builtin_scenarios()) names.insert(s->name);
    for (const char* name : {"tls10-only", "tls13-only", "weak-ciphers-only", "handshake-reset", "client-cert-required", "slow-handshake",
                             "net-latency", "net-bandwidth", "net-reset", "net-slow-close", "net-blackhole", "net-limit-data", "net-slicer",
                             "alert-handshake-failure", "alert-protocol-version"})
        CHECK_MESSAGE(names.count(name), name);
}

TEST_CASE("catalogue: CMG reason phrases, hosts and paths are verbatim") {
    const Scenario& required = builtin("cmg-client-certificate-required");
    const Rule* r403 = rule_with_http(required, 403);
    REQUIRE(r403);
    CHECK(r403->http->reason == "CMGConnector_Clientcertificaterequired");
    CHECK(rule_matches_url(*r403, "cmgsccm.contoso.com", "/CCM_PROXY_MUTUALAUTH/3456/SMS_MP/.sms_aut", "SITESIGNCERT"));
    CHECK_FALSE(rule_matches_url(*r403, "cmgsccm.contoso.com", "/CCM_PROXY_MUTUALAUTH/3456/SMS_MP/.sms_aut", ""));

    const Rule* forbidden = rule_with_http(builtin("cmg-forbidden"), 403);
    REQUIRE(forbidden);
    CHECK(forbidden->http->reason == "CMGConnector_Forbidden");
    CHECK(rule_matches_url(*forbidden, "cmgsccm.contoso.com", "/CCM_PROXY_MUTUALAUTH/3456/SMS_MP/.sms_aut", "SITESIGNCERT"));

    const Rule* token = rule_with_http(builtin("cmg-invalid-token"), 401);
    REQUIRE(token);
    CHECK(token->http->reason == "CMGService_Invalid_Token");
    CHECK(rule_matches_url(*token, "CMGSERVER.CLOUDAPP.NET", "/CCM_Proxy_ServerAuth/ServiceMetadata", ""));

    const Scenario& secure = builtin("cmg-secure-failure");
    REQUIRE(secure.rules.front().certificate);
    CHECK(secure.rules.front().certificate->profile.name == "cmg-secure-failure");
    CHECK(secure.rules.front().match.hosts.front().literal_text() == "CMG.CONTOSO.COM");
    CHECK(rule_matches_url(secure.rules[1], "CMG.CONTOSO.COM", "/CCM_Proxy_ServerAuth/72057594037928017/CCM_STS", ""));
}

TEST_CASE("catalogue: Umbrella, CRM and Lync field cases") {
    const Scenario& umbrella = builtin("umbrella-untrusted-ca");
    CHECK(umbrella.rules.front().match.hosts.front().literal_text() == "api.opendns.com");
    CHECK(umbrella.rules.front().certificate->profile.name == "untrusted-root");
    for (const char* name : {"umbrella-revocation-closed-port", "umbrella-revocation-blackhole"}) {
        const Scenario& s = builtin(name);
        std::vector<std::string> hosts;
        for (const auto& h : s.rules.front().match.hosts) hosts.push_back(h.literal_text());
        CHECK(hosts == std::vector<std::string>{"ocsp.digicert.com", "crl3.digicert.com", "crl4.digicert.com"});
        REQUIRE(s.rules.front().tcp.size() == 1);
    }
    CHECK(std::holds_alternative<ResetSettings>(builtin("umbrella-revocation-closed-port").rules.front().tcp.front().settings));
    CHECK(std::holds_alternative<BlackholeSettings>(builtin("umbrella-revocation-blackhole").rules.front().tcp.front().settings));

    CHECK(builtin("dotnet-tls-server-too-new").rules.front().tls->min_version == TlsVersion::tls1_3);
    CHECK(builtin("dotnet-tls-server-too-old").rules.front().tls->max_version == TlsVersion::tls1_0);
    CHECK(builtin("crm-exchange-self-signed").rules.front().certificate->profile.name == "self-signed");
    CHECK(builtin("crm-exchange-name-mismatch").rules.front().certificate->profile.name == "wrong-host");
    CHECK(builtin("crm-enterprise-ca-not-imported").rules.front().certificate->profile.name == "untrusted-root");
    CHECK(builtin("crm-enterprise-ca-trusted").rules.front().certificate->profile.name == "good");

    const Scenario& lync = builtin("lync-data-store-unavailable");
    CHECK(lync.rules[0].http->reason == "Data store unavailable");
    CHECK(lync.rules[0].http->body == "Data store unavailable\n");
    CHECK(lync.rules[0].sequence.kind == Sequence::Kind::first);
    CHECK(builtin("lync-authentication-failure").rules.front().http->status == 401);
    CHECK(builtin("lync-incomplete-chain").rules.front().certificate->profile.chain == tlsfault::certgen::ChainKind::leaf_only);

    const Scenario& iis = builtin("iis-403-7-client-certificate-required");
    REQUIRE(iis.rules.front().client_cert);
    CHECK(iis.rules.front().client_cert->mode == ClientCertAction::Mode::require);
    CHECK_FALSE(iis.rules.front().client_cert->on_missing.has_value());
}

TEST_CASE("catalogue: explain names the run line and a curl command with the exact URL") {
    auto lines = try_commands(builtin("cmg-client-certificate-required"));
    REQUIRE(lines.size() >= 2);
    CHECK(lines[0] == "tlsfault run cmg-client-certificate-required");
    CHECK(lines[1] ==
          "curl -v --proxy http://127.0.0.1:8080 --cacert \"$(tlsfault ca path)\" "
          "'https://cmgsccm.contoso.com/CCM_PROXY_MUTUALAUTH/1/SMS_MP/.sms_aut?SITESIGNCERT'");
    auto cmg = try_commands(builtin("cmg-secure-failure"));
    CHECK(cmg[1].find("'https://CMG.CONTOSO.COM/CCM_Proxy_ServerAuth/1/CCM_STS'") != std::string::npos);
    // `tlsfault run` fills in its real addresses and CA path; without the proxy, --connect-to.
    ClientLineContext where{.proxy = "", .sni = "127.0.0.1:40001", .revocation = "127.0.0.1:40002", .ca = "/lab/root.pem"};
    auto run_lines = try_commands(builtin("cmg-forbidden"), where);
    CHECK(run_lines[1] ==
          "curl -v --connect-to cmgsccm.contoso.com:443:127.0.0.1:40001 --cacert \"/lab/root.pem\" "
          "'https://cmgsccm.contoso.com/CCM_PROXY_MUTUALAUTH/1/SMS_MP/.sms_aut?SITESIGNCERT'");
    auto written = try_commands(builtin("revoked-crl"), where);
    CHECK(written[0] == "curl -o intermediate.crl.pem http://127.0.0.1:40002/crl/intermediate.crl.pem");
    CHECK(written[1].find("-connect 127.0.0.1:40001 ") != std::string::npos);
    CHECK(written[1].find("-CAfile \"/lab/root.pem\"") != std::string::npos);
}

TEST_CASE("catalogue: IIS and CMG paths match in any case and with any management point id") {
    const Rule* forbidden = rule_with_http(builtin("cmg-forbidden"), 403);
    REQUIRE(forbidden);
    CHECK(rule_matches_url(*forbidden, "cmgsccm.contoso.com", "/ccm_proxy_mutualauth/72057594037927939/sms_mp/.SMS_AUT", "SITESIGNCERT"));
    CHECK_FALSE(rule_matches_url(*forbidden, "cmgsccm.contoso.com", "/CCM_PROXY_SERVERAUTH/1/SMS_MP/.sms_aut", "SITESIGNCERT"));
    const Rule* iis = rule_with_http(builtin("iis-403-7-client-certificate-required"), 403);
    REQUIRE(iis);
    CHECK(rule_matches_url(*iis, "mp.contoso.com", "/sms_mp/.sms_aut", "SITESIGNCERT"));
}

TEST_CASE("catalogue: resolve_scenario suggests a near name") {
    try {
        resolve_scenario("cmg-forbiden");
        FAIL("resolved a misspelt name");
    } catch (const LoadError& e) {
        CHECK(std::string(e.what()) == "cmg-forbiden: no such scenario file or built-in scenario; did you mean 'cmg-forbidden'?");
    }
    CHECK(resolve_scenario("cmg-forbidden")->name == "cmg-forbidden");
}
