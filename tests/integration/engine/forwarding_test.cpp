// Forwarding through the explicit proxy to a local upstream started by the test: chunked
// bodies, reason phrases, 50 MB in each direction streamed, keep-alive reuse, plain HTTP, and
// an upstream that refuses.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

using namespace tlsfault::test;

namespace {

using Upstream = UpstreamServer;

std::string proxy_url(const RunningEngine& e) { return "http://127.0.0.1:" + std::to_string(e.proxy_port()); }

long peak_rss_kb(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

/// A string member of the origin page's JSON (indented, one member per line); "" when absent.
std::string page_field(const std::string& page, const std::string& key) {
    const std::string start = "\"" + key + "\": \"";
    const auto at = page.find(start);
    if (at == std::string::npos) return {};
    const auto from = at + start.size();
    return page.substr(from, page.find('"', from) - from);
}

/// A loopback port whose TCP handshakes never complete: it listens with a backlog of 0 and
/// never accepts, and one connection made here fills its queue, so the kernel drops later SYNs.
class UnansweringPort {
public:
    UnansweringPort() {
        listener_ = listen_loopback(0, port_);
        REQUIRE(listener_ >= 0);
        filler_ = connect_loopback(port_);
        REQUIRE(filler_ >= 0);
    }
    ~UnansweringPort() {
        ::close(filler_);
        ::close(listener_);
    }
    int port() const { return port_; }

private:
    int listener_ = -1, filler_ = -1;
    int port_ = 0;
};

}  // namespace

TEST_CASE("forwarding: an upstream whose TCP handshake never completes gets --upstream-connect-timeout, then a 502" *
          doctest::timeout(60)) {
    UnansweringPort silent;
    RunningEngine engine({"--upstream-connect-timeout", "300ms", "--upstream-verify", "off"});
    auto r = curl({"-k", "-sS", "-i", "-x", proxy_url(engine), "https://127.0.0.1:" + std::to_string(silent.port()) + "/never"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("HTTP/1.1 502") != std::string::npos);
    auto up = engine.wait_for_event("upstream", "\"ok\":false");
    CHECK(json_field(up, "stage") == "connect");
    CHECK(json_field(up, "error") == "Connection timed out");
    CHECK(json_field(up, "early") == "true");  // begun at the ClientHello, reported at the request
}

TEST_CASE("forwarding: an upstream that never answers a kept-alive connection's request gets --header-timeout, then a 502" *
          doctest::timeout(60)) {
    Upstream upstream;
    RunningEngine engine({"--header-timeout", "400ms", "--upstream-verify", "off"});
    // Two requests on one client connection: the first is answered, the second waits on the same
    // upstream connection, whose response deadline then serves its second wait.
    auto r = curl({"-k", "-sS", "-i", "-x", proxy_url(engine), upstream.url("/first"), upstream.url("/silent")});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("HTTP/1.1 200") != std::string::npos);
    CHECK(r.out.find("upstream saw GET /first") != std::string::npos);
    CHECK(r.out.find("HTTP/1.1 502") != std::string::npos);
    CHECK(r.out.find("the upstream server sent no valid response: The socket was closed due to a timeout") != std::string::npos);
    auto failed = engine.wait_for_event("response", "\"error\"");
    CHECK(json_field(failed, "error") == "The socket was closed due to a timeout");
    CHECK(count_events(engine, "upstream_stale") == 0);  // a slow server is not a stale connection: the request went once
    auto closed = engine.wait_for_event("close", "reading upstream response");
    CHECK(json_field(closed, "reason") == "reading upstream response: The socket was closed due to a timeout");
}

TEST_CASE("forwarding: --header-timeout covers an upstream's whole response header, not each line of it" * doctest::timeout(60)) {
    // A line every 100 ms keeps bytes coming for 4 s: a deadline renewed at each read would
    // never end this header; 400 ms for the whole of it does.
    Upstream upstream;
    RunningEngine engine({"--header-timeout", "400ms", "--upstream-verify", "off"});
    auto r = curl({"-k", "-sS", "-i", "-x", proxy_url(engine), upstream.url("/dribble")});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("HTTP/1.1 502") != std::string::npos);
    CHECK(r.out.find("X-Line-") == std::string::npos);
    auto failed = engine.wait_for_event("response", "\"error\"");
    CHECK(json_field(failed, "error") == "The socket was closed due to a timeout");
}

TEST_CASE("forwarding: a chunked response and its reason phrase reach the client unchanged" * doctest::timeout(60)) {
    Upstream upstream;
    RunningEngine engine({"--upstream-verify", upstream.cert()});
    auto r = curl({"-k", "-i", "--raw", "-x", proxy_url(engine), upstream.url("/chunked")});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("HTTP/1.1 200 Fine Thanks") != std::string::npos);
    CHECK(r.out.find("Transfer-Encoding: chunked") != std::string::npos);
    CHECK(r.out.find("alpha-") != std::string::npos);
    CHECK(r.out.find("gamma") != std::string::npos);
    auto reply = curl({"-k", "-i", "-x", proxy_url(engine), upstream.url("/forbidden")});
    CHECK(reply.out.find("HTTP/1.1 403 CMGConnector_Clientcertificaterequired") != std::string::npos);
    auto up = engine.wait_for_event("upstream", "\"ok\":true");
    CHECK(json_field(up, "verified") == "true");
    CHECK(json_field(engine.verdict_for("127.0.0.1"), "outcome") == "accepted");
}

TEST_CASE("forwarding: a target named by host name is resolved, an address is connected to as it is" * doctest::timeout(60)) {
    Upstream upstream;
    RunningEngine engine({"--upstream-verify", "off"});
    const std::string port = std::to_string(upstream.port());
    for (const std::string host : {"localhost", "127.0.0.1"}) {
        CAPTURE(host);
        auto r = curl({"-k", "-sS", "-x", proxy_url(engine), "https://" + host + ":" + port + "/chunked"});
        CHECK(r.exit_code == 0);
        CHECK(r.out == "alpha-beta-gamma");
        auto up = engine.wait_for_event("upstream", "\"target\":\"" + host + ":" + port + "\"");
        CHECK(json_field(up, "ok") == "true");
        CHECK(json_field(up, "address") == "127.0.0.1:" + port);  // the upstream listens on IPv4 only
    }
}

TEST_CASE("forwarding: a response header of known length reaches the client byte for byte, HEAD included" * doctest::timeout(60)) {
    Upstream upstream;
    RunningEngine engine({"--upstream-verify", upstream.cert()});
    // Two GETs and a HEAD on one kept-alive client connection.
    auto r = curl({"-k", "-i", "-x", proxy_url(engine), upstream.url("/as-sent"), upstream.url("/as-sent")});
    REQUIRE(r.exit_code == 0);
    const std::string head = "HTTP/1.1 299 Odd  Reason Here\r\nx-lower-case: v\r\nX-Spaced:   padded value  \r\nContent-Length: 5\r\n\r\n";
    const auto first = r.out.find(head + "hello");
    REQUIRE(first != std::string::npos);
    CHECK(r.out.find(head + "hello", first + 1) != std::string::npos);
    auto h = curl({"-k", "-sS", "-I", "-x", proxy_url(engine), upstream.url("/as-sent")});
    REQUIRE(h.exit_code == 0);
    CHECK(h.out.ends_with(head));                           // after the proxy's "200 Connection established", and no body
    engine.wait_for_event("response", "\"body_bytes\":0");  // the HEAD's, the last
    std::vector<std::string> answers;
    for (const auto& line : engine.events())
        if (json_field(line, "event") == "response" && json_field(line, "status") == "299") answers.push_back(line);
    REQUIRE(answers.size() == 3);
    for (const auto& line : answers) CHECK(json_field(line, "reason") == "Odd  Reason Here");
    CHECK(json_field(answers[0], "body_bytes") == "5");
    CHECK(json_field(answers[1], "body_bytes") == "5");
    CHECK(json_field(answers[2], "body_bytes") == "0");
}

TEST_CASE("forwarding: a chunked request body is streamed upstream" * doctest::timeout(60)) {
    Upstream upstream;
    RunningEngine engine({"--upstream-verify", upstream.cert()});
    auto r = curl({"-k", "-x", proxy_url(engine), "-H", "Transfer-Encoding: chunked", "--data-binary", "hello chunked world",
                   upstream.url("/upload")});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "received 19\n");
}

TEST_CASE("forwarding: 50 MB each way is streamed, never held whole" * doctest::timeout(120)) {
    Upstream upstream;
    RunningEngine engine({"--upstream-verify", upstream.cert()});
    constexpr long size = 50L * 1024 * 1024;
    auto down = curl({"-k", "-x", proxy_url(engine), "-o", "/dev/null", "-w", "%{size_download} %{http_code}",
                      upstream.url("/big/" + std::to_string(size))});
    CHECK(down.exit_code == 0);
    CHECK(down.out == std::to_string(size) + " 200");
    {
        std::ofstream blob(engine.dir() / "blob.bin", std::ios::binary);
        std::string block(1 << 20, 'y');
        for (int i = 0; i < 50; ++i) blob << block;
    }
    auto up = curl({"-k", "-x", proxy_url(engine), "--data-binary", "@" + (engine.dir() / "blob.bin"), upstream.url("/upload")});
    CHECK(up.exit_code == 0);
    CHECK(up.out == "received " + std::to_string(size) + "\n");
    long rss = peak_rss_kb(engine.process().pid());
    INFO("tlsfault peak RSS " << rss << " kB");
    CHECK(rss > 0);
#ifndef TLSFAULT_SANITIZED
    CHECK(rss < 40 * 1024);  // a 50 MB body held anywhere would push this past 50 MB
#endif
}

TEST_CASE("forwarding: keep-alive reuses one client and one upstream connection" * doctest::timeout(60)) {
    Upstream upstream;
    RunningEngine engine({"--upstream-verify", upstream.cert()});
    auto r = curl({"-k", "-x", proxy_url(engine), upstream.url("/one"), upstream.url("/two"), upstream.url("/three")});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("GET /one") != std::string::npos);
    CHECK(r.out.find("GET /three") != std::string::npos);
    // The upstream saw all three from the same source port: one upstream connection.
    auto port_of = [&](const std::string& path) {
        auto at = r.out.find("GET " + path + " from-port=");
        return at == std::string::npos ? std::string("?") : r.out.substr(at + path.size() + 15, 5);
    };
    CHECK(port_of("/one") == port_of("/two"));
    CHECK(port_of("/two") == port_of("/three"));
    engine.wait_for_event("close");
    CHECK(count_events(engine, "accept") == 1);
    CHECK(count_events(engine, "upstream") == 1);
    CHECK(count_events(engine, "verdict") == 1);
    CHECK(count_events(engine, "response") == 3);
}

TEST_CASE("forwarding: plain http:// requests through the proxy are forwarded" * doctest::timeout(60)) {
    Upstream upstream(true);
    RunningEngine engine;
    auto r = curl({"-i", "-x", proxy_url(engine), upstream.url("/plain?q=1", false)});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("HTTP/1.1 200 OK") != std::string::npos);
    CHECK(r.out.find("upstream saw GET /plain?q=1") != std::string::npos);  // origin form upstream
    auto v = engine.wait_for_verdicts(1).at(0);
    CHECK(json_field(v, "outcome") == "plain_http");
}

TEST_CASE("forwarding: an upstream that fails verification or refuses costs one request, 502" * doctest::timeout(60)) {
    Upstream upstream;
    RunningEngine engine;  // verifies against the system store, which does not trust the test upstream
    auto r = curl({"-k", "-x", proxy_url(engine), "-w", "%{http_code}", "-o", "/dev/null", upstream.url("/x")});
    CHECK(r.out == "502");
    auto up = engine.wait_for_event("upstream", "\"ok\":false");
    CHECK(json_field(up, "stage") == "tls");
    CHECK(json_field(up, "verify_error").find("self-signed") != std::string::npos);

    RunningEngine refusing({"--upstream-address", "127.0.0.1:1", "--upstream-verify", "off"});
    auto refused = curl({"-k", "-x", proxy_url(refusing), "-w", "%{http_code}", "-o", "/dev/null", "https://example.invalid/"});
    CHECK(refused.out == "502");
    CHECK(json_field(refusing.wait_for_event("upstream", "\"ok\":false"), "stage") == "connect");
    auto next = curl({"-k", "-x", proxy_url(refusing), "-w", "%{http_code}", "-o", "/dev/null", "https://good.tlsfault.test/"});
    CHECK(next.out == "200");
}

TEST_CASE("forwarding: non-TLS bytes inside CONNECT are tunnelled raw (verdict not_tls)" * doctest::timeout(60)) {
    Upstream upstream(true);
    RunningEngine engine;
    auto r = curl({"-p", "-x", proxy_url(engine), upstream.url("/through-tunnel", false)});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("upstream saw GET /through-tunnel") != std::string::npos);
    auto v = engine.wait_for_verdicts(1).at(0);
    CHECK(json_field(v, "outcome") == "not_tls");
    CHECK(json_field(v, "reason").find("tunnelled raw") != std::string::npos);
}

TEST_CASE("forwarding: the SNI listener forwards non-lab hosts with --upstream-mode forward" * doctest::timeout(60)) {
    Upstream upstream;
    RunningEngine engine(
        {"--upstream-mode", "forward", "--upstream-address", "127.0.0.1:" + std::to_string(upstream.port()), "--upstream-verify", "off"});
    auto r = curl(
        {"-k", "--connect-to", "api.opendns.com:443:127.0.0.1:" + std::to_string(engine.sni_port()), "https://api.opendns.com/v1/health"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("upstream saw GET /v1/health") != std::string::npos);
    CHECK(r.out.find("host=api.opendns.com") != std::string::npos);
    // Lab hosts are still answered by origin mode, never forwarded.
    auto lab = curl({"-k", "--connect-to", "expired.tlsfault.test:443:127.0.0.1:" + std::to_string(engine.sni_port()),
                     "https://expired.tlsfault.test/"});
    CHECK(lab.out.find("upstream saw") == std::string::npos);
    CHECK(lab.out.find("accepted a certificate that is wrong") != std::string::npos);
}

// With no sink for events (no API, no --events), lines are muted and what only they show is not
// computed (the JA4, the console line under --quiet): the relay, the origin page's JA3 and JA4
// and the console line must be exactly as with a sink.
TEST_CASE("forwarding: with no event log the relay, the origin page's fingerprints and the console line are unchanged" *
          doctest::timeout(60)) {
    Upstream upstream;
    RunningEngine engine(RunningEngine::NoEventLog{}, {"crm-exchange-self-signed", "--upstream-mode", "forward", "--upstream-address",
                                                       "127.0.0.1:" + std::to_string(upstream.port()), "--upstream-verify", "off"});
    const std::string sni = "127.0.0.1:" + std::to_string(engine.sni_port());
    auto r = curl({"-k", "-i", "--connect-to", "api.forwarded.test:443:" + sni, "https://api.forwarded.test/as-sent"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == "HTTP/1.1 299 Odd  Reason Here\r\nx-lower-case: v\r\nX-Spaced:   padded value  \r\nContent-Length: 5\r\n\r\nhello");
    // mail.contoso.com is named by the scenario: its unanswered request gets the origin page.
    auto page =
        curl({"-k", "-sS", "-H", "Accept: application/json", "--connect-to", "mail.contoso.com:443:" + sni, "https://mail.contoso.com/"});
    REQUIRE(page.exit_code == 0);
    CHECK(page_field(page.out, "ja3").size() == 32);
    CHECK(page_field(page.out, "ja4").rfind("t13d", 0) == 0);  // curl offers TLS 1.3 and sends SNI
    // Origin mode (a lab host) shows both as well.
    auto lab = curl({"-k", "-sS", "-H", "Accept: application/json", "--connect-to", "expired.tlsfault.test:443:" + sni,
                     "https://expired.tlsfault.test/"});
    CHECK(page_field(lab.out, "ja4") == page_field(page.out, "ja4"));  // the same client, the same JA4
    // Each line is printed when its connection closes, on either engine thread.
    auto both_printed = [&] {
        const std::string console = engine.console();
        return console.find("api.forwarded.test [good] -> accepted") != std::string::npos &&
               console.find("mail.contoso.com [self-signed] -> accepted") != std::string::npos;
    };
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!both_printed() && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(engine.console().find("api.forwarded.test [good] -> accepted") != std::string::npos);
    CHECK(engine.console().find("mail.contoso.com [self-signed] -> accepted") != std::string::npos);
    CHECK(engine.events().empty());
}
