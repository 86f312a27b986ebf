// A host a loaded scenario names (mail.contoso.com, api.opendns.com) is a lab stand-in: with
// default settings a request no rule answers is answered locally, never forwarded to the real
// host. --upstream-address points at a listener the test owns, which must see no connection.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace tlsfault::test;

namespace {

/// A listening socket on 127.0.0.1:0 that nobody accepts from: a connection attempt to it
/// completes in the kernel backlog and makes the socket readable.
class WatchedPort {
public:
    WatchedPort() {
        fd_ = listen_loopback(8, port_);
        REQUIRE(fd_ >= 0);
    }
    ~WatchedPort() { ::close(fd_); }
    int port() const { return port_; }
    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
    /// True when a connection is waiting to be accepted.
    bool was_dialled() const {
        pollfd p{fd_, POLLIN, 0};
        return ::poll(&p, 1, 0) == 1;
    }

private:
    int fd_ = -1;
    int port_ = 0;
};

std::string proxy_url(const RunningEngine& e) { return "http://127.0.0.1:" + std::to_string(e.proxy_port()); }

}  // namespace

TEST_CASE("scenario hosts: an unanswered HTTPS request for mail.contoso.com through the proxy is answered locally" * doctest::timeout(60)) {
    WatchedPort upstream;
    RunningEngine engine({"crm-exchange-self-signed", "--upstream-address", upstream.address()});
    auto r = curl({"-k", "-sS", "-i", "-x", proxy_url(engine), "https://mail.contoso.com/no/rule/answers/this"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.rfind("HTTP/1.1 200", 0) == 0);  // after "200 Connection established"'s blank line: the origin page
    CHECK(r.out.find("X-Tlsfault-Profile: self-signed") != std::string::npos);
    auto note = engine.wait_for_event("not_forwarded");
    CHECK(json_field(note, "host") == "mail.contoso.com");
    CHECK(json_field(note, "scenario") == "crm-exchange-self-signed");
    CHECK(json_field(engine.wait_for_event("response", "origin"), "status") == "200");
    engine.wait_for_event("close");
    CHECK(count_events(engine, "upstream") == 0);
    CHECK_FALSE(upstream.was_dialled());
    CHECK(engine.console().find("not forwarded: mail.contoso.com is named by scenario crm-exchange-self-signed") != std::string::npos);
}

TEST_CASE("scenario hosts: a plain-HTTP request for a scenario host gets a 502 naming the scenario" * doctest::timeout(60)) {
    WatchedPort upstream;
    RunningEngine engine({"crm-exchange-self-signed", "--upstream-address", upstream.address()});
    auto r = curl({"-sS", "-i", "-x", proxy_url(engine), "http://mail.contoso.com/owa/"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.rfind("HTTP/1.1 502", 0) == 0);
    CHECK(r.out.find("named by scenario crm-exchange-self-signed") != std::string::npos);
    auto v = engine.verdict_for("mail.contoso.com");
    CHECK(json_field(v, "outcome") == "aborted");
    CHECK(json_field(v, "reason").find("http: forward") != std::string::npos);
    engine.wait_for_event("close");
    CHECK(count_events(engine, "upstream") == 0);
    CHECK_FALSE(upstream.was_dialled());
}

TEST_CASE("scenario hosts: a host no scenario names is still forwarded, and `http: forward` forwards a named one" * doctest::timeout(60)) {
    UpstreamServer real(false);
    TempDir dir;
    auto file = write_scenario(dir, "forward-named",
                               "  - match: {host: named.example, path: /pass/*}\n"
                               "    http: forward\n"
                               "  - match: {host: named.example, path: /local}\n"
                               "    http: {status: 418}\n");
    RunningEngine engine({file, "--upstream-address", "127.0.0.1:" + std::to_string(real.port()), "--upstream-verify", "off"});
    auto other = curl({"-k", "-sS", "-x", proxy_url(engine), "https://unnamed.example/chunked"});
    CHECK(other.exit_code == 0);
    CHECK(other.out == "alpha-beta-gamma");
    auto via_rule = curl({"-k", "-sS", "-i", "-x", proxy_url(engine), "https://named.example/pass/x"});
    CHECK(via_rule.exit_code == 0);
    CHECK(via_rule.out.find("X-Tlsfault-Profile") == std::string::npos);  // the upstream answered, not the origin page
    auto local = curl({"-k", "-sS", "-i", "-x", proxy_url(engine), "https://named.example/elsewhere"});
    CHECK(local.out.find("X-Tlsfault-Profile") != std::string::npos);
    CHECK(json_field(engine.wait_for_event("not_forwarded"), "scenario") == "forward-named");
    CHECK(count_events(engine, "upstream") == 2);  // unnamed.example and the `http: forward` rule's request
}

TEST_CASE("scenario hosts: non-TLS bytes in a CONNECT to a scenario host are not tunnelled to the real host" * doctest::timeout(60)) {
    WatchedPort upstream;
    RunningEngine engine({"crm-exchange-self-signed", "--upstream-address", upstream.address()});
    int fd = connect_loopback(engine.proxy_port());
    REQUIRE(fd >= 0);
    REQUIRE(send_all(fd,
                     "CONNECT mail.contoso.com:443 HTTP/1.1\r\nHost: mail.contoso.com:443\r\n\r\n"
                     "GET /owa/ HTTP/1.1\r\nHost: mail.contoso.com\r\n\r\n"));
    auto answer = read_until_close(fd, std::chrono::seconds(10));
    ::close(fd);
    CHECK(answer.find("200 Connection established") != std::string::npos);
    CHECK(answer.find("HTTP/1.1 400") != std::string::npos);  // "this port expects TLS", from tlsfault itself
    auto v = engine.wait_for_verdicts(1).front();             // no ClientHello, so no host on the verdict
    CHECK(json_field(v, "outcome") == "not_tls");
    CHECK(json_field(v, "reason").find("tunnelled") == std::string::npos);
    engine.wait_for_event("close");
    CHECK(count_events(engine, "upstream") == 0);
    CHECK_FALSE(upstream.was_dialled());
}
