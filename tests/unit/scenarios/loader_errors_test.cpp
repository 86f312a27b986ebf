// The malformed-file table: each snippet and the exact `file:line:col: key.path: message` lines
// the loader must report for it.
#include "tests/unit/scenarios/scenario_test_helpers.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::scenarios;
using namespace tlsfault::scenarios::test;

namespace {

struct BadCase {
    const char* what;
    std::string yaml;
    std::vector<std::string> expected;
};

std::vector<BadCase> bad_cases() {
    return {
        {"misspelt rule key",
         header + "  - certificat: expired\n",
         {"t.yaml:5:5: rules[0].certificat: unknown key 'certificat'; did you mean 'certificate'?"}},
        {"mirror: a built-in file, a misspelt mutation",
         header + "  - certificate: {mirror: c.pem, mutate: {expird: true}}\n",
         {"t.yaml:5:27: rules[0].certificate.mirror: a built-in scenario cannot reference the file 'c.pem'",
          "t.yaml:5:43: rules[0].certificate.mutate.expird: unknown key 'expird'; did you mean 'expired'?"}},
        {"mirror: contradicting mutations, a profile field",
         header + "  - certificate: {mirror: c.pem, key_type: rsa-2048, mutate: {expired: true, not_yet_valid: true}}\n",
         {"t.yaml:5:34: rules[0].certificate.key_type: unknown key 'key_type' (expected one of: mirror keep_urls mutate)",
          "t.yaml:5:27: rules[0].certificate.mirror: a built-in scenario cannot reference the file 'c.pem'",
          "t.yaml:5:62: rules[0].certificate.mutate: mutations expired and not_yet_valid contradict each other: the leaf cannot be both; keep one"}},
        {"unknown profile",
         header + "  - certificate: expird\n",
         {"t.yaml:5:18: rules[0].certificate: unknown certificate profile 'expird'; did you mean 'expired'?"}},
        {"unknown alert (shorthand)",
         header + "  - tls:\n      alert: unknwon_ca\n",
         {"t.yaml:6:14: rules[0].tls.alert: unknown alert 'unknwon_ca'; did you mean 'unknown_ca'?"}},
        {"unknown alert (long form)",
         header + "  - tls:\n      alert: {alert: bad_certficate, linger: 1s}\n",
         {"t.yaml:6:22: rules[0].tls.alert.alert: unknown alert 'bad_certficate'; did you mean 'bad_certificate'?"}},
        {"status is not a number",
         header + "  - http:\n      status: forbidden\n",
         {"t.yaml:6:15: rules[0].http.status: expected an integer, got 'forbidden'"}},
        {"status out of range",
         header + "  - http:\n      status: 4030\n",
         {"t.yaml:6:15: rules[0].http.status: 4030 is out of range (100 to 999)"}},
        {"unclosed glob class",
         header + "  - match:\n      host: \"[abc\"\n",
         {"t.yaml:6:13: rules[0].match.host: bad pattern '[abc': '[' at column 1 is never closed"}},
        {"'?' in a path glob",
         header + "  - match:\n      path: /a.sms_aut?SITESIGNCERT\n",
         {"t.yaml:6:13: rules[0].match.path: '?' in a path glob matches any one character; put the query in match.query"}},
        {"duration without unit",
         header + "  - tcp:\n      - type: latency\n        latency: 300\n",
         {"t.yaml:7:18: rules[0].tcp[0].latency: '300' needs a unit (ms, s, m or h, e.g. 300ms or 5s)"}},
        {"unknown unit",
         header + "  - tcp:\n      - type: bandwidth\n        rate: 10 kb/s\n",
         {"t.yaml:7:15: rules[0].tcp[0].rate: unknown unit 'kb' in '10 kb' (use bytes/s, KB/s or MB/s, e.g. 10KB/s)"}},
        {"misspelt fault type",
         header + "  - tcp:\n      - type: latncy\n",
         {"t.yaml:6:15: rules[0].tcp[0].type: unknown tcp fault type 'latncy'; did you mean 'latency'?"}},
        {"tls fault in the tcp list",
         header + "  - tcp:\n      - type: tls_alert\n        alert: unknown_ca\n",
         {"t.yaml:6:15: rules[0].tcp[0].type: unknown tcp fault type 'tls_alert': it is a TLS fault, set it under the rule's tls key"}},
        {"fault attribute of another kind",
         header + "  - tcp:\n      - type: latency\n        rate: 1KB/s\n",
         {"t.yaml:7:9: rules[0].tcp[0].rate: unknown key 'rate' (expected one of: type name probability stream latency jitter)"}},
        {"missing required attribute",
         header + "  - tcp:\n      - type: slow_close\n",
         {"t.yaml:6:9: rules[0].tcp[0].delay: missing (required)"}},
        {"duplicate fault names",
         header + "  - tcp:\n      - {type: latency, latency: 1s}\n      - {type: latency, latency: 2s}\n",
         {"t.yaml:7:9: rules[0].tcp[1].name: duplicate fault name 'latency_downstream' (give each a name)"}},
        {"probability above 1",
         header + "  - sequence: {probability: 1.5, seed: 7}\n    http: {status: 200}\n",
         {"t.yaml:5:29: rules[0].sequence.probability: 1.5 is out of range (0 to 1)"}},
        {"two sequence kinds",
         header + "  - sequence: {first: 2, every: 3}\n    http: {status: 200}\n",
         {"t.yaml:5:15: rules[0].sequence: give exactly one of first, every or probability"}},
        {"unknown listener",
         header + "  - match: {listener: snni}\n    http: {status: 200}\n",
         {"t.yaml:5:23: rules[0].match.listener: no listener named 'snni'; did you mean 'sni'?"}},
        {"client_cert failure alert",
         header + "  - client_cert: {mode: require, on_failure: certificate_requird}\n",
         {"t.yaml:5:46: rules[0].client_cert.on_failure: unknown alert 'certificate_requird'; did you mean 'certificate_required'? "
          "(an alert name, or continue to let HTTP answer)"}},
        {"client_cert alert for a missing certificate",
         header + "  - client_cert: {mode: require, on_failure: {missing: bad_certificate}}\n",
         {"t.yaml:5:56: rules[0].client_cert.on_failure.missing: a missing certificate can only end with OpenSSL's own alert, "
          "certificate_required (TLS 1.3; handshake_failure on TLS 1.2), not bad_certificate; or continue to let HTTP answer"}},
        {"client_cert alert no verification error maps to",
         header + "  - client_cert: {mode: require, on_failure: {untrusted: access_denied}}\n",
         {"t.yaml:5:58: rules[0].client_cert.on_failure.untrusted: a certificate that fails verification cannot end with access_denied "
          "(OpenSSL chooses the alert from the verification error); one of: handshake_failure, bad_certificate, unsupported_certificate, "
          "certificate_revoked, certificate_expired, certificate_unknown, unknown_ca, decrypt_error, internal_error, or continue"}},
        {"alpn protocol with an http answer",
         header + "  - tls: {alpn: h2}\n    http: {status: 200}\n",
         {"t.yaml:5:17: rules[0].tls.alpn: ALPN 'h2' makes the client speak it, and tlsfault answers HTTP/1.1 only (it closes after "
          "the handshake): drop http here, or select http/1.1"}},
        {"alpn name with a space",
         header + "  - tls: {alpn: \"h 2\"}\n",
         {"t.yaml:5:17: rules[0].tls.alpn: expected an ALPN protocol name (http/1.1, h2, ...), none or refuse, got 'h 2'"}},
        {"client_cert mode missing",
         header + "  - client_cert: {ca_list: empty}\n",
         {"t.yaml:5:18: rules[0].client_cert.mode: missing (required)"}},
        {"expect reject unknown",
         header + "  - certificate: expired\n    expect: {reject: certificate_expird}\n",
         {"t.yaml:6:22: rules[0].expect.reject: unknown alert 'certificate_expird'; did you mean 'certificate_expired'? "
          "(an alert name, any, closed, reset or timeout)"}},
        {"chain kind",
         header + "  - chain: reversd\n",
         {"t.yaml:5:12: rules[0].chain: unknown chain kind 'reversd'; did you mean 'reversed'?"}},
        {"inline profile field",
         header + "  - certificate: {profile: good, key_type: rsa-2049}\n",
         {"t.yaml:5:44: rules[0].certificate.key_type: unknown key type 'rsa-2049'; did you mean 'rsa-2048'?"}},
        {"inline profile unknown field",
         header + "  - certificate: {profile: good, common_nam: x}\n",
         {"t.yaml:5:34: rules[0].certificate.common_nam: unknown key 'common_nam'; did you mean 'common_name'?"}},
        {"inline profile bad time",
         header + "  - certificate: {not_after: 30 days}\n",
         {"t.yaml:5:30: rules[0].certificate.not_after: expected a time relative to now (-30d, +90d, 12h) or a UTC date "
          "(2020-10-01 or 2020-10-01T22:03:24Z), got '30 days'"}},
        {"request condition with a certificate",
         header + "  - match: {path: /x}\n    certificate: expired\n",
         {"t.yaml:5:12: rules[0].match: request conditions (method, path, query, headers, client_cert) are known only after the "
          "handshake; put certificate, chain, tls and client_cert in a rule without them"}},
        {"alert and http together",
         header + "  - tls: {alert: unknown_ca}\n    http: {status: 200}\n",
         {"t.yaml:5:10: rules[0].tls: the handshake ends with an alert, reset or close here, so certificate and http never happen"}},
        {"reset and close together",
         header + "  - tls: {reset_after_client_hello: true, close_after_client_hello: true}\n",
         {"t.yaml:5:69: rules[0].tls.close_after_client_hello: choose one of alert, reset_after_client_hello and close_after_client_hello"}},
        {"path case word",
         header + "  - match: {path: {glob: /x, case: upper}}\n",
         {"t.yaml:5:36: rules[0].match.path.case: expected sensitive or insensitive, got 'upper'"}},
        {"path case on a regex",
         header + "  - match: {path: {regex: ^/x, case: insensitive}}\n",
         {"t.yaml:5:38: rules[0].match.path.case: case applies to a glob; write a case-insensitive regex instead"}},
        {"unknown cipher",
         header + "  - tls: {ciphers: [AES128-SHA, RC4-SHA]}\n",
         {"t.yaml:5:20: rules[0].tls.ciphers: OpenSSL knows no TLS 1.2 cipher 'RC4-SHA'"}},
        {"unknown staple mode",
         header + "  - tls: {staple: goood}\n",
         {"t.yaml:5:19: rules[0].tls.staple: unknown staple mode 'goood' (one of: none, truthful, good, revoked, unknown, expired, garbage)"}},
        {"versions upside down",
         header + "  - tls: {min_version: \"1.3\", max_version: \"1.2\"}\n",
         {"t.yaml:5:44: rules[0].tls.max_version: max_version 1.2 is below min_version 1.3"}},
        {"reason phrase with a newline",
         header + "  - http: {status: 403, reason: \"a\\r\\nb\"}\n",
         {"t.yaml:5:33: rules[0].http.reason: a reason phrase cannot hold CR, LF or NUL"}},
        {"file reference in a built-in scenario",
         header + "  - http: {status: 200, body_file: page.html}\n",
         {"t.yaml:5:36: rules[0].http.body_file: a built-in scenario cannot reference the file 'page.html'"}},
        {"scenario listeners (the engine binds none)",
         "name: t\ntitle: T\ndescription: {symptom: s, cause: c, fix: f}\nlisteners:\n  - {name: legacy, kind: sni, listen: "
         "127.0.0.1:9443}\nrules:\n  - match: {listener: legacy}\n    http: {status: 200}\n",
         {"t.yaml:5:3: listeners: a scenario cannot declare listeners (the engine binds only its own): remove this key; match on "
          "listener: proxy or listener: sni, and choose their addresses with tlsfault run --proxy-listen / --sni-listen ADDRESS:PORT",
          "t.yaml:7:23: rules[0].match.listener: no listener named 'legacy'"}},
        {"duplicate key", header + "  - http: {status: 200}\n    http: {status: 500}\n", {"t.yaml:6:5: rules[0].http: duplicate key"}},
        {"bad scenario name",
         "name: Bad_Name\ntitle: T\ndescription: {symptom: s, cause: c, fix: f}\nrules:\n  - http: {status: 200}\n",
         {"t.yaml:1:7: name: a scenario name is lower-case letters, digits and '-' (like expired-cert), got 'Bad_Name'"}},
        {"missing top-level keys",
         "name: t\ntitl: T\n",
         {"t.yaml:2:1: titl: unknown key 'titl'; did you mean 'title'?", "t.yaml:1:1: title: missing (required)",
          "t.yaml:1:1: description: missing (required)", "t.yaml:1:1: rules: missing (required)"}},
        {"empty rules",
         "name: t\ntitle: T\ndescription: {symptom: s, cause: c, fix: f}\nrules: []\n",
         {"t.yaml:4:8: rules: expected a non-empty list of rules, got a list"}},
        {"a rule that is not a mapping", header + "  - expired\n", {"t.yaml:5:5: rules[0]: expected a mapping, got 'expired'"}},
        {"every problem, in order",
         header + "  - certificate: expird\n    http: {status: 99}\n  - tls: {stall: 5}\n",
         {"t.yaml:5:18: rules[0].certificate: unknown certificate profile 'expird'; did you mean 'expired'?",
          "t.yaml:6:20: rules[0].http.status: 99 is out of range (100 to 999)",
          "t.yaml:7:18: rules[1].tls.stall: '5' needs a unit (ms, s, m or h, e.g. 300ms or 5s)"}},
    };
}

}  // namespace

TEST_CASE("loader: every malformed snippet gives its exact file:line:col: key.path: message") {
    auto join = [](const std::vector<std::string>& lines) {
        std::string out;
        for (const auto& l : lines) out += l + "\n";
        return out;
    };
    for (const auto& c : bad_cases()) {
        INFO(c.what);
        CHECK(join(problems_of(c.yaml)) == join(c.expected));
    }
}

TEST_CASE("loader: YAML syntax errors carry yaml-cpp's location, 1-based") {
    auto problems = problems_of("name: t\nrules: [\n  {http: {status: 200}\n");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].rfind("t.yaml:4:1: YAML syntax: ", 0) == 0);
}

TEST_CASE("loader: a bad regex is reported with the regex library's reason") {
    auto problems = problems_of(header + "  - match:\n      path: {regex: \"(unclosed\"}\n    http: {status: 200}\n");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].rfind("t.yaml:6:21: rules[0].match.path.regex: bad regex '(unclosed': ", 0) == 0);
}

TEST_CASE("loader: an empty file and a missing file are one-line errors") {
    CHECK(problems_of("") == std::vector<std::string>{"t.yaml: the file is empty; a scenario needs name, title, description and rules"});
    try {
        load_scenario_file("/nonexistent/dir/x.yaml");
        FAIL("a missing file loaded");
    } catch (const LoadError& e) {
        CHECK(std::string(e.what()) == "/nonexistent/dir/x.yaml: cannot read the file");
    }
}

TEST_CASE("loader: a valid snippet has no problems") {
    CHECK(problems_of(header + "  - match: {host: \"*.example.test\", port: [443, 8443]}\n    certificate: expired\n").empty());
}
