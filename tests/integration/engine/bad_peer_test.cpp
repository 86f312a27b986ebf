// Rude clients: random bytes, half a ClientHello then silence, a 1 MB header, a malformed
// CONNECT. Each costs one connection with a logged verdict; the next client is served.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <random>

using namespace tlsfault::test;

namespace {

/// The next, well-behaved client still gets through.
void check_still_serving(RunningEngine& engine) {
    CHECK(engine.process().running());
    auto r = curl({"-k", "-w", "%{http_code}", "-o", "/dev/null", "--connect-to",
                   "good.tlsfault.test:443:127.0.0.1:" + std::to_string(engine.sni_port()), "https://good.tlsfault.test/"});
    CHECK(r.out == "200");
}

/// The first 43 bytes of a ClientHello that announces 205: record header, handshake header,
/// version and random, then nothing more.
std::string half_client_hello() {
    std::string hello = {0x16, 0x03, 0x01, 0x00, static_cast<char>(0xc8), 0x01, 0x00, 0x00, static_cast<char>(0xc4), 0x03, 0x03};
    hello += std::string(32, 'r');
    return hello;
}

}  // namespace

TEST_CASE("bad peers: random bytes on the SNI port are not_tls, and the next client works") {
    RunningEngine engine;
    int fd = connect_loopback(engine.sni_port());
    REQUIRE(fd >= 0);
    std::mt19937 rng(42);
    std::string junk(4096, '\0');
    for (auto& c : junk) c = static_cast<char>(rng() % 256);
    junk[0] = 0x07;  // not 0x16: certainly not a handshake record
    send_all(fd, junk);
    read_until_close(fd, std::chrono::seconds(10));
    close(fd);
    auto v = engine.wait_for_verdicts(1).at(0);
    CHECK(json_field(v, "outcome") == "not_tls");
    CHECK(json_field(v, "phase") == "client_hello");
    check_still_serving(engine);
}

TEST_CASE("bad peers: half a ClientHello then silence times out in the client_hello phase") {
    RunningEngine engine({"--client-hello-timeout", "700ms"});
    int fd = connect_loopback(engine.sni_port());
    REQUIRE(fd >= 0);
    send_all(fd, half_client_hello());
    auto rest = read_until_close(fd, std::chrono::seconds(10));  // tlsfault closes at its deadline
    close(fd);
    CHECK(rest.empty());
    auto v = engine.wait_for_verdicts(1).at(0);
    CHECK(json_field(v, "outcome") == "timeout");
    CHECK(json_field(v, "phase") == "client_hello");
    CHECK(json_field(v, "reason").find("after 43 bytes") != std::string::npos);
    check_still_serving(engine);
}

TEST_CASE("bad peers: half a ClientHello then FIN is closed, a reset is reset") {
    RunningEngine engine;
    int fd = connect_loopback(engine.sni_port());
    REQUIRE(fd >= 0);
    send_all(fd, half_client_hello());
    shutdown(fd, SHUT_WR);
    read_until_close(fd, std::chrono::seconds(10));
    close(fd);
    CHECK(json_field(engine.wait_for_verdicts(1).at(0), "outcome") == "closed");

    int rst = connect_loopback(engine.sni_port());
    REQUIRE(rst >= 0);
    send_all(rst, half_client_hello());
    linger hard{1, 0};  // close with RST
    setsockopt(rst, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    close(rst);
    auto verdicts = engine.wait_for_verdicts(2);
    REQUIRE(verdicts.size() == 2);
    CHECK(json_field(verdicts[1], "outcome") == "reset");
    check_still_serving(engine);
}

TEST_CASE("bad peers: a 1 MB request header is refused with 431 on both listeners") {
    RunningEngine engine;
    std::string huge = "GET http://127.0.0.1:1/ HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(1 << 20, 'a') + "\r\n\r\n";
    int fd = connect_loopback(engine.proxy_port());
    REQUIRE(fd >= 0);
    send_all(fd, huge);  // may fail part-way once tlsfault has answered and closed: that is fine
    auto reply = read_until_close(fd, std::chrono::seconds(10));
    close(fd);
    CHECK(reply.rfind("HTTP/1.1 431", 0) == 0);
    auto v = engine.wait_for_verdicts(1).at(0);
    CHECK(json_field(v, "outcome") == "aborted");
    CHECK(json_field(v, "phase") == "proxy_request");

    // Inside TLS on the SNI listener, after a completed handshake (curl itself refuses to send a
    // header this large, so Python does).
    std::string script =
        "import socket, ssl, sys\n"
        "ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE\n"
        "t = ctx.wrap_socket(socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10), server_hostname='good.tlsfault.test')\n"
        "try:\n"
        "    t.sendall(b'GET / HTTP/1.1\\r\\nHost: good.tlsfault.test\\r\\nX-Big: ' + b'b' * (1 << 20) + b'\\r\\n\\r\\n')\n"
        "except OSError as e:\n"
        "    print('send failed', e)\n"
        "print(t.recv(100).split(b'\\r\\n')[0].decode())\n";
    auto r = run_process({"python3", "-c", script, std::to_string(engine.sni_port())}, std::chrono::seconds(20));
    INFO(r.err);
    CHECK(r.out == "HTTP/1.1 431 Request Header Fields Too Large\n");
    auto tls_verdict = engine.verdict_for("good.tlsfault.test");
    CHECK(json_field(tls_verdict, "outcome") == "accepted");  // the certificate was accepted; the request was bad
    CHECK(json_field(tls_verdict, "reason").find("header limit") != std::string::npos);
    check_still_serving(engine);
}

TEST_CASE("bad peers: a malformed CONNECT and a non-proxy request get 400") {
    RunningEngine engine;
    for (std::string request :
         {"CONNECT nonsense HTTP/1.1\r\nHost: x\r\n\r\n", "GET /relative HTTP/1.1\r\nHost: x\r\n\r\n", "\x01\x02garbage\r\n\r\n"}) {
        int fd = connect_loopback(engine.proxy_port());
        REQUIRE(fd >= 0);
        send_all(fd, request);
        auto reply = read_until_close(fd, std::chrono::seconds(10));
        close(fd);
        CHECK(reply.rfind("HTTP/1.1 400", 0) == 0);
    }
    auto verdicts = engine.wait_for_verdicts(3);
    REQUIRE(verdicts.size() == 3);
    for (auto& v : verdicts) CHECK(json_field(v, "outcome") == "aborted");
    auto r = curl({"-k", "-x", "http://127.0.0.1:" + std::to_string(engine.proxy_port()), "-w", "%{http_code}", "-o", "/dev/null",
                   "https://good.tlsfault.test/"});
    CHECK(r.out == "200");
}
