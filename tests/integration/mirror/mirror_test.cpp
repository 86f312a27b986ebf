// "Mirror, then mutate" end to end: a customer chain made with the openssl CLI (root → two
// intermediates → leaf, with policies, EKU, CDP/AIA and SANs) is mirrored by `tlsfault certgen
// --mirror` and by a scenario run with `tlsfault run`; openssl, curl and python3 trust only the
// lab copy of the root and show the customer's names, and the failure each mutation stands for.
// `tlsfault inspect` names the faults in the file and on the running lab server.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using namespace tlsfault::test;

namespace {

const std::string host = "www.contoso.test";

/// The customer's chain, made by make_customer_chain.sh in `dir`/customer.
std::string make_customer_chain(const TempDir& dir) {
    auto r = run_process({"sh", MIRROR_TEST_DIR "/make_customer_chain.sh", dir / "customer"}, std::chrono::seconds(60));
    REQUIRE_MESSAGE(r.exit_code == 0, r.all());
    return dir / "customer";
}

/// `tlsfault certgen --mirror FILE --out OUT --state-dir STATE [--mutate M]...`.
ProcessResult certgen_mirror(const std::string& file, const std::string& out, const std::string& state,
                             std::vector<std::string> mutate = {}) {
    std::vector<std::string> argv = {tlsfault_binary(), "certgen", "--mirror", file, "--out", out, "--state-dir", state};
    for (const auto& m : mutate) argv.insert(argv.end(), {"--mutate", m});
    return run_process(argv, std::chrono::seconds(60));
}

/// openssl verify of OUT/cert.pem with only OUT/root.pem trusted and OUT/chain.pem untrusted.
ProcessResult verify(const std::string& out, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {"openssl", "verify", "-CAfile", out + "/root.pem"};
    std::ifstream chain(out + "/chain.pem");
    if (chain.peek() != std::ifstream::traits_type::eof()) argv.insert(argv.end(), {"-untrusted", out + "/chain.pem"});
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(out + "/cert.pem");
    return run_process(argv, std::chrono::seconds(20));
}

/// An engine serving the customer's chain (mutated by `mutate`, YAML flow text) to every host,
/// and the lab root copy to trust (written by certgen --mirror from the engine's own state dir).
struct MirrorEngine {
    TempDir dir;
    std::string customer = make_customer_chain(dir);
    std::unique_ptr<RunningEngine> engine;
    std::string root;

    explicit MirrorEngine(const std::string& mutate) {
        std::string rules = "  - certificate:\n      mirror: customer/bundle.pem\n";
        if (!mutate.empty()) rules += "      mutate: " + mutate + "\n";
        engine = std::make_unique<RunningEngine>(std::vector<std::string>{write_scenario(dir, "mirror", rules)});
        auto r = certgen_mirror(customer + "/chain.pem", dir / "trust", engine->dir() / "state");
        REQUIRE_MESSAGE(r.exit_code == 0, r.all());
        root = dir / "trust/root.pem";
    }

    ProcessResult curl_get() const { return curl({"--cacert", root, "--connect-to", connect_to(*engine, host), "https://" + host + "/"}); }
    ProcessResult python_get() const {
        std::string script =
            "import socket, ssl, sys\n"
            "ctx = ssl.create_default_context(cafile=sys.argv[2])\n"
            "try:\n"
            "    s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)\n"
            "    t = ctx.wrap_socket(s, server_hostname=sys.argv[3])\n"
            "    print('ok', t.getpeercert()['subject'])\n"
            "except ssl.SSLError as e:\n"
            "    print('error', e)\n";
        return run_process({"python3", "-c", script, std::to_string(engine->sni_port()), root, host}, std::chrono::seconds(20));
    }
    std::string verdict() const { return json_field(engine->verdict_for(host), "outcome"); }
    std::string alert() const { return json_field(engine->verdict_for(host), "alert"); }
};

}  // namespace

TEST_CASE("certgen --mirror: the mirrored leaf has the customer's subject, SANs, policies and EKU, lab URLs, and verifies") {
    TempDir dir;
    const std::string customer = make_customer_chain(dir);
    auto r = certgen_mirror(customer + "/bundle.pem", dir / "out", dir / "state");  // shuffled: sorted by issuer/subject
    REQUIRE_MESSAGE(r.exit_code == 0, r.all());
    auto text = run_process({"openssl", "x509", "-in", dir / "out/cert.pem", "-noout", "-text"}).out;
    auto original = run_process({"openssl", "x509", "-in", customer + "/leaf.pem", "-noout", "-text"}).out;
    for (const char* expected :
         {"Subject: C = US, ST = Washington, L = Redmond, O = Contoso Ltd, OU = Web, CN = www.contoso.test",
          "Issuer: C = US, O = Contoso Trust, OU = Servers, CN = Contoso Issuing CA 2",
          "DNS:www.contoso.test, DNS:api.contoso.test, DNS:localhost, IP Address:127.0.0.1", "Policy: 2.23.140.1.2.2",
          "Policy: 1.3.6.1.4.1.311.42.1", "TLS Web Server Authentication, TLS Web Client Authentication", "Public-Key: (2048 bit)",
          "Signature Algorithm: ecdsa-with-SHA256", "URI:http://127.0.0.1:8082/crl/mirror-",
          "OCSP - URI:http://127.0.0.1:8082/ocsp/mirror-", "CA Issuers - URI:http://127.0.0.1:8082/ca/mirror-"}) {
        CHECK_MESSAGE(text.find(expected) != std::string::npos, expected << "\n" << text);
        if (std::string(expected).find("8082") == std::string::npos) CHECK_MESSAGE(original.find(expected) != std::string::npos, expected);
    }
    CHECK(text.find("contoso.test/issuing2") == std::string::npos);
    auto ok = verify(dir / "out");
    CHECK_MESSAGE(ok.exit_code == 0, ok.all());
    CHECK(ok.out.find(": OK") != std::string::npos);
    // The customer's own root does not vouch for the lab copy: the keys are the lab's.
    auto foreign =
        run_process({"openssl", "verify", "-CAfile", customer + "/root.pem", "-untrusted", dir / "out/chain.pem", dir / "out/cert.pem"});
    CHECK(foreign.exit_code != 0);
}

TEST_CASE("certgen --mirror --mutate: openssl verify shows each mutation's failure") {
    TempDir dir;
    const std::string chain = make_customer_chain(dir) + "/chain.pem";
    struct Case {
        std::string mutate;
        std::vector<std::string> extra;
        std::string message;
    };
    const std::vector<Case> cases = {
        {"expired", {}, "certificate has expired"},
        {"not_yet_valid", {}, "certificate is not yet valid"},
        {"wrong_host=mail.fabrikam.test", {"-verify_hostname", host}, "hostname mismatch"},
        {"drop_intermediate", {}, "unable to get local issuer certificate"},
        {"self_signed", {}, "self-signed certificate"},
        {"untrusted_root", {}, "self-signed certificate in certificate chain"},
        {"sha1", {"-auth_level", "1"}, "CA signature digest algorithm too weak"},
        {"rsa_1024", {"-auth_level", "2"}, "EE certificate key too weak"},
        {"eku=clientAuth", {"-purpose", "sslserver"}, "unsuitable certificate purpose"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.mutate);
        const std::string out = dir / ("out-" + c.mutate.substr(0, c.mutate.find('=')));
        auto r = certgen_mirror(chain, out, dir / "state", {c.mutate});
        REQUIRE_MESSAGE(r.exit_code == 0, r.all());
        auto v = verify(out, c.extra);
        CHECK(v.exit_code != 0);
        CHECK_MESSAGE(v.all().find(c.message) != std::string::npos, v.all());
    }
    auto out = dir / "out-revoked";
    REQUIRE(certgen_mirror(chain, out, dir / "state", {"revoked"}).exit_code == 0);
    auto issuer = run_process({"openssl", "x509", "-in", out + "/cert.pem", "-noout", "-ext", "crlDistributionPoints"}).out;
    auto name = issuer.substr(issuer.find("/crl/") + 5, issuer.find(".crl") - issuer.find("/crl/") - 5);
    auto v = verify(out, {"-crl_check", "-CRLfile", out + "/crl/" + name + ".crl.pem"});
    CHECK(v.all().find("certificate revoked") != std::string::npos);
    auto typo = certgen_mirror(chain, dir / "typo", dir / "state", {"expird"});
    CHECK(typo.exit_code == 2);
    CHECK(typo.err.find("did you mean 'expired'") != std::string::npos);
    CHECK(!std::filesystem::exists(dir / "typo"));
}

TEST_CASE("tlsfault run, certificate: {mirror}: curl and python3 trusting the lab root copy accept the customer's chain") {
    MirrorEngine lab("");
    auto c = lab.curl_get();
    CHECK_MESSAGE(c.exit_code == 0, c.all());
    CHECK(lab.verdict() == "accepted");  // curl's request was answered
    auto p = lab.python_get();
    CHECK_MESSAGE(p.out.rfind("ok", 0) == 0, p.all());
    CHECK(p.out.find("Contoso Ltd") != std::string::npos);
    auto cert = lab.engine->wait_for_event("certificate");
    CHECK(json_field(cert, "subject").find("CN=www.contoso.test,OU=Web,O=Contoso Ltd") != std::string::npos);
    CHECK(json_field(cert, "chain_length") == "2");
    // inspect on the running lab server: the chain served, no fault for the right host.
    auto inspect = run_process({tlsfault_binary(), "inspect", "127.0.0.1:" + std::to_string(lab.engine->sni_port()), "--host", host});
    CHECK_MESSAGE(inspect.exit_code == 0, inspect.all());
    CHECK(inspect.out.find("[2] intermediate") != std::string::npos);
    CHECK(inspect.out.find("faults seen: none") != std::string::npos);
    // `tlsfault run` names the lab root copy it wrote in its state dir; curl trusting that one accepts too.
    const std::string console = lab.engine->console();
    const auto at = console.find("mirrored chain  ");
    REQUIRE_MESSAGE(at != std::string::npos, console);
    const auto start = console.find(": trust ", at) + 8;
    const std::string root_file = console.substr(start, console.find(' ', start) - start);
    CHECK(root_file.find("/state/mirror/mirror-") != std::string::npos);
    // The banner's copy-paste client line trusts that copy too, not the lab root.
    CHECK_MESSAGE(console.find("--cacert \"" + root_file + "\"") != std::string::npos, console);
    auto again = curl({"--cacert", root_file, "--connect-to", connect_to(*lab.engine, host), "https://" + host + "/"});
    CHECK_MESSAGE(again.exit_code == 0, again.all());
}

TEST_CASE("tlsfault run, certificate: {mirror, mutate}: curl and python3 show each mutation's failure") {
    struct Case {
        std::string mutate, curl_message, python_message, alert;  ///< alert: what tlsfault records python sent
    };
    const std::vector<Case> cases = {
        {"{expired: true}", "certificate has expired", "certificate has expired", "certificate_expired"},
        {"{wrong_host: mail.fabrikam.test}", "no alternative certificate subject name matches", "Hostname mismatch", "bad_certificate"},
        {"{drop_intermediate: true}", "unable to get local issuer certificate", "unable to get local issuer certificate", "unknown_ca"},
        {"{self_signed: true}", "self-signed certificate", "self-signed certificate", "unknown_ca"},
        {"{untrusted_root: true}", "self-signed certificate in certificate chain", "self-signed certificate in certificate chain",
         "unknown_ca"},
        {"{sha1: true}", "CA signature digest algorithm too weak", "CA signature digest algorithm too weak", "bad_certificate"},
        {"{rsa_1024: true}", "EE certificate key too weak", "EE certificate key too weak", "bad_certificate"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.mutate);
        MirrorEngine lab(c.mutate);
        auto p = lab.python_get();
        CHECK_MESSAGE(p.out.find(c.python_message) != std::string::npos, p.all());
        CHECK(lab.verdict() == "alert");
        CHECK(lab.alert() == c.alert);
        auto r = lab.curl_get();
        CHECK(r.exit_code != 0);
        CHECK_MESSAGE(r.err.find(c.curl_message) != std::string::npos, r.err);
    }
}

TEST_CASE("tlsfault run, certificate: {mirror}: a saved edit of mutate is re-minted on reload and served to new connections") {
    MirrorEngine lab("");
    CHECK(lab.curl_get().exit_code == 0);
    const std::string file = lab.dir / "mirror.yaml";
    std::string text;
    {
        std::ifstream in(file);
        text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    const std::string temp = file + ".tmp";  // saved as editors do: a new file renamed over the old
    std::ofstream(temp, std::ios::trunc) << text << "      mutate: {expired: true}\n";
    std::filesystem::rename(temp, file);
    REQUIRE_FALSE(lab.engine->wait_for_event("scenario_reloaded").empty());
    auto r = lab.curl_get();
    CHECK(r.exit_code != 0);
    CHECK_MESSAGE(r.err.find("certificate has expired") != std::string::npos, r.err);
    // The engine may write the second verdict just after curl exits: wait for it, not the first one's.
    const auto verdicts = lab.engine->wait_for_verdicts(2);
    REQUIRE(verdicts.size() >= 2);
    CHECK(json_field(verdicts.back(), "alert") == "certificate_expired");
}

TEST_CASE("tlsfault run, mutate revoked: the lab CRL behind the rewritten CDP URL lists the leaf") {
    MirrorEngine lab("{revoked: true}");
    auto served = fetch_served_chain(*lab.engine, host);
    const std::string crl_url = certificate_url(served.leaf, "crlDistributionPoints");
    CHECK(crl_url.find("http://127.0.0.1:" + std::to_string(lab.engine->revocation_port()) + "/crl/mirror-") == 0);
    auto fetched = curl({"-o", lab.dir / "leaf.crl", crl_url});
    REQUIRE_MESSAGE(fetched.exit_code == 0, fetched.all());
    auto v = run_process({"openssl", "verify", "-crl_check", "-CRLfile", lab.dir / "leaf.crl", "-CAfile", lab.root, "-untrusted",
                          served.issuer, served.leaf});
    CHECK_MESSAGE(v.all().find("certificate revoked") != std::string::npos, v.all());
    CHECK(!lab.engine->wait_for_event("revocation", "mirror-").empty());
}

TEST_CASE("java (CRL checking on): the mirrored chain is accepted, and with mutate revoked refused as revoked") {
    REQUIRE_MESSAGE(run_process({"java", "-version"}, std::chrono::seconds(20)).exit_code == 0,
                    "java is missing: scripts/common.sh installs openjdk-17-jdk-headless");
    auto java = [](const MirrorEngine& lab) {
        return run_process({"java", "-Dcom.sun.net.ssl.checkRevocation=true", "-Dcom.sun.security.enableCRLDP=true", REVOCATION_JAVA_CLIENT,
                            host, std::to_string(lab.engine->sni_port()), lab.root},
                           std::chrono::seconds(60));
    };
    MirrorEngine good("");
    auto ok = java(good);
    CHECK_MESSAGE(ok.exit_code == 0, ok.all());
    CHECK(ok.out.rfind("ACCEPTED", 0) == 0);
    CHECK(good.verdict() == "accepted");
    // Java checked the chain's revocation at the lab listener: the rewritten URLs work.
    CHECK(!good.engine->wait_for_event("revocation", "mirror-").empty());

    MirrorEngine revoked("{revoked: true}");
    auto refused = java(revoked);
    CHECK(refused.exit_code == 1);
    CHECK_MESSAGE(refused.out.find("Certificate has been revoked, reason: KEY_COMPROMISE") != std::string::npos, refused.all());
    // Java fetched the mirrored issuer's CRL from the rewritten CDP URL and found the leaf on it
    // (it ends this handshake with bad_certificate_status_response, as the JDK 17 here does).
    CHECK(revoked.alert() == "bad_certificate_status_response");
    const std::string fetch = revoked.engine->wait_for_event("revocation", "/crl/mirror-");
    CHECK_MESSAGE(json_field(fetch, "answered") == "crl 1 entry", fetch);
}

TEST_CASE("inspect: the customer's file and a mutated lab server, each fault with what reproduces it") {
    TempDir dir;
    const std::string customer = make_customer_chain(dir);
    auto file = run_process({tlsfault_binary(), "inspect", customer + "/leaf.cer", "--host", "mail.fabrikam.test"});
    CHECK_MESSAGE(file.exit_code == 0, file.all());
    CHECK(file.out.find("missing intermediate") != std::string::npos);
    CHECK(file.out.find("--mutate drop_intermediate") != std::string::npos);
    CHECK(file.out.find("--mutate wrong_host=mail.fabrikam.test") != std::string::npos);
    CHECK(file.out.find("URI:http://ocsp.contoso.test/issuing2") != std::string::npos);
    auto bundle = run_process({tlsfault_binary(), "inspect", customer + "/bundle.pem", "--host", host});  // shuffled
    CHECK_MESSAGE(bundle.out.find("[0] leaf\n    subject:      CN=www.contoso.test") != std::string::npos, bundle.out);
    CHECK(bundle.out.find("[3] root\n    subject:      CN=Contoso Root CA R1") != std::string::npos);
    CHECK(bundle.out.find("faults seen: none") != std::string::npos);

    MirrorEngine lab("{expired: true, sha1: true}");
    auto live = run_process({tlsfault_binary(), "inspect", "127.0.0.1:" + std::to_string(lab.engine->sni_port()), "--host", host});
    CHECK_MESSAGE(live.exit_code == 0, live.all());
    CHECK(live.out.find("[EXPIRED]") != std::string::npos);
    CHECK(live.out.find("profile expired, or --mutate expired") != std::string::npos);
    CHECK(live.out.find("profile sha1-signature, or --mutate sha1") != std::string::npos);
    CHECK(live.out.find("/crl/mirror-") != std::string::npos);
    auto refused = run_process({tlsfault_binary(), "inspect", "example.com:443"});
    CHECK(refused.exit_code == 2);  // a name it would have to resolve: never
    CHECK(refused.err.find("not HOST:PORT with an IP address or localhost") != std::string::npos);
    auto help = run_process({tlsfault_binary(), "inspect", "--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("Usage: tlsfault inspect FILE|HOST:PORT") != std::string::npos);
}

TEST_CASE("certificate: {mirror}: bad input is a load error at file:line:col with the fix") {
    TempDir dir;
    make_customer_chain(dir);
    auto bad = write_scenario(
        dir, "bad", "  - certificate:\n      mirror: customer/chain.pem\n      mutate: {expird: true, wrong_host: 'not a host'}\n");
    auto r = run_process({tlsfault_binary(), "validate", bad});
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(r.all().find("rules[0].certificate.mutate.expird") != std::string::npos, r.all());
    CHECK(r.all().find("did you mean 'expired'") != std::string::npos);
    CHECK(r.all().find("rules[0].certificate.mutate.wrong_host") != std::string::npos);
    std::ofstream(dir / "junk.pem") << "not a certificate\n";
    auto junk = write_scenario(dir, "junk", "  - certificate: {mirror: junk.pem}\n");
    auto j = run_process({tlsfault_binary(), "validate", junk});
    CHECK(j.exit_code == 2);
    CHECK_MESSAGE(j.all().find("junk.yaml:8:") != std::string::npos, j.all());
    CHECK(j.all().find("neither PEM nor a DER certificate") != std::string::npos);
}
