// Start-up, shutdown and options: the banner, SIGTERM, IPv6, proxy authentication, the key log.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace tlsfault::test;

TEST_CASE("run: the banner names the listeners, the CA to trust and a curl line that fails") {
    RunningEngine engine;
    auto console = engine.console();
    CHECK(console.find("explicit proxy  127.0.0.1:" + std::to_string(engine.proxy_port())) != std::string::npos);
    CHECK(console.find("SNI listener    127.0.0.1:" + std::to_string(engine.sni_port())) != std::string::npos);
    CHECK(console.find(engine.root_pem()) != std::string::npos);
    CHECK(console.find("--connect-to expired.tlsfault.test:443:127.0.0.1:" + std::to_string(engine.sni_port())) != std::string::npos);
}

TEST_CASE("run: --help exits 0 and a bad option exits 2") {
    auto help = run_process({tlsfault_binary(), "run", "--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("--sni-listen") != std::string::npos);
    CHECK(help.out.find("GLIBC_TUNABLES") != std::string::npos);  // the malloc restart, and how to opt out
    auto bad = run_process({tlsfault_binary(), "run", "--sni-listen", "nowhere"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("--sni-listen nowhere") != std::string::npos);
    auto timeout = run_process({tlsfault_binary(), "run", "--handshake-timeout", "soon"});
    CHECK(timeout.exit_code == 2);
}

TEST_CASE("run: SIGTERM stops accepting, ends connections in flight, flushes the log, exits 0") {
    RunningEngine engine;
    int idle = connect_loopback(engine.sni_port());  // in flight: never sends its hello
    REQUIRE(idle >= 0);
    engine.wait_for_event("accept");
    CHECK(engine.process().stop() == 0);
    close(idle);
    auto events = engine.events();
    REQUIRE(!events.empty());
    CHECK(json_field(events.back(), "event") == "stopped");
    auto v = engine.wait_for_verdicts(1, std::chrono::seconds(1));
    REQUIRE(v.size() == 1);
    CHECK(json_field(v[0], "outcome") == "aborted");
    CHECK(engine.wait_for_event("close") != "");
    CHECK(connect_loopback(engine.sni_port()) < 0);
}

TEST_CASE("run: IPv6 listeners on [::1]") {
    RunningEngine engine({"--sni-listen", "[::1]:0", "--proxy-listen", "[::1]:0"});
    auto r = curl({"-k", "-w", "%{http_code}", "-o", "/dev/null", "--connect-to",
                   "good.tlsfault.test:443:[::1]:" + std::to_string(engine.sni_port()), "https://good.tlsfault.test/"});
    CHECK(r.out == "200");
    auto via_proxy = curl({"-k", "-x", "http://[::1]:" + std::to_string(engine.proxy_port()), "-w", "%{http_code}", "-o", "/dev/null",
                           "https://expired.tlsfault.test/"});
    CHECK(via_proxy.out == "200");
    CHECK(json_field(engine.verdict_for("expired.tlsfault.test"), "outcome") == "accepted");
}

TEST_CASE("run: --proxy-auth answers 407 without credentials and serves with them") {
    RunningEngine engine({"--proxy-auth", "trainer:s3cret"});
    std::string proxy = "http://127.0.0.1:" + std::to_string(engine.proxy_port());
    auto denied = curl({"-k", "-x", proxy, "https://good.tlsfault.test/"});
    CHECK(denied.exit_code != 0);
    CHECK(denied.err.find("407") != std::string::npos);
    auto allowed =
        curl({"-k", "-x", proxy, "--proxy-user", "trainer:s3cret", "-w", "%{http_code}", "-o", "/dev/null", "https://good.tlsfault.test/"});
    CHECK(allowed.out == "200");
    CHECK(json_field(engine.verdict_for("good.tlsfault.test"), "outcome") == "accepted");
}

namespace {

/// The environment `pid` was (last) executed with, one NAME=value a line.
std::vector<std::string> environment_of(pid_t pid) {
    const std::string raw = read_text("/proc/" + std::to_string(pid) + "/environ");
    std::vector<std::string> entries;
    for (std::size_t at = 0; at < raw.size();) {
        const std::size_t end = raw.find('\0', at);
        entries.push_back(raw.substr(at, end - at));
        at = end == std::string::npos ? raw.size() : end + 1;
    }
    return entries;
}

bool has_entry(const std::vector<std::string>& entries, const std::string& entry) {
    return std::find(entries.begin(), entries.end(), entry) != entries.end();
}

}  // namespace

TEST_CASE("run: restarts itself once with glibc's deeper malloc cache (same PID), unless GLIBC_TUNABLES is set") {
    const auto serves = [](RunningEngine& engine) {
        auto r = curl({"-k", "-w", "%{http_code}", "-o", "/dev/null", "--connect-to",
                       "good.tlsfault.test:443:127.0.0.1:" + std::to_string(engine.sni_port()), "https://good.tlsfault.test/"});
        CHECK(r.out == "200");
        CHECK(json_field(engine.verdict_for("good.tlsfault.test"), "outcome") == "accepted");
    };
    RunningEngine tuned;
    serves(tuned);  // the PID the test started is the one that listens: the restart kept it
    const auto env = environment_of(tuned.process().pid());
#if defined(__SANITIZE_ADDRESS__)  // the sanitizer's allocator is not glibc's: no restart
    CHECK(!has_entry(env, "TLSFAULT_MALLOC_TUNED=1"));
#else
    CHECK(has_entry(env, "GLIBC_TUNABLES=glibc.malloc.tcache_count=200"));
    CHECK(has_entry(env, "TLSFAULT_MALLOC_TUNED=1"));
#endif
    RunningEngine own({}, {}, {"env", "GLIBC_TUNABLES=glibc.malloc.perturb=0"});
    serves(own);
    const auto own_env = environment_of(own.process().pid());
    CHECK(has_entry(own_env, "GLIBC_TUNABLES=glibc.malloc.perturb=0"));
    CHECK(!has_entry(own_env, "TLSFAULT_MALLOC_TUNED=1"));
}

TEST_CASE("run: --keylog writes NSS key log lines Wireshark can use") {
    TempDir dir;
    RunningEngine engine({"--keylog", dir / "keys.log"});
    auto r = curl({"-k", "-o", "/dev/null", "--connect-to", "good.tlsfault.test:443:127.0.0.1:" + std::to_string(engine.sni_port()),
                   "https://good.tlsfault.test/"});
    CHECK(r.exit_code == 0);
    engine.wait_for_event("close");
    std::ifstream in(dir / "keys.log");
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(content.find("CLIENT_HANDSHAKE_TRAFFIC_SECRET ") != std::string::npos);
    CHECK(content.find("SERVER_TRAFFIC_SECRET_0 ") != std::string::npos);
}

namespace {

/// Python that opens a TLS connection to good.tlsfault.test on the SNI port given as argv[1]:
/// `connect(timeout)` returns the socket and `get` is a request for its origin page; a script
/// appends what it does with them.
const std::string python_tls_client =
    "import socket, ssl, sys, time\n"
    "ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE\n"
    "def connect(timeout):\n"
    "    raw = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=timeout)\n"
    "    return ctx.wrap_socket(raw, server_hostname='good.tlsfault.test')\n"
    "get = b'GET / HTTP/1.1\\r\\nHost: good.tlsfault.test\\r\\n\\r\\n'\n";

/// How many requests a close event's summary lists as answered with 200.
std::size_t answered_with_200(const std::string& close_event) {
    const auto summary = json_field(close_event, "summary");
    std::size_t answered = 0;
    for (auto at = summary.find("-> 200"); at != std::string::npos; at = summary.find("-> 200", at + 1)) ++answered;
    return answered;
}

}  // namespace

TEST_CASE("run: --idle-timeout closes a kept-alive connection that goes quiet, not one that keeps asking") {
    // Idle 1.5 s; requests 500 ms apart (1 s of margin for a loaded machine): a deadline counted
    // from the first wait would close the connection 0.5 s after the third answer instead of the
    // 1.5 s of silence that follow it.
    RunningEngine engine({"--idle-timeout", "1500ms"});
    std::string script = python_tls_client +
                         "t = connect(10)\n"
                         "def ask():\n"
                         "    t.sendall(get)\n"
                         "    got = b''\n"
                         "    while b'</html>' not in got:\n"
                         "        got += t.recv(65536)\n"
                         "    return got.split(b'\\r\\n')[0].decode()\n"
                         "for i in range(3):\n"
                         "    print(ask())\n"
                         "    time.sleep(0.5) if i < 2 else None\n"
                         "quiet = time.monotonic()\n"
                         "print('eof' if t.recv(100) == b'' else 'data')\n"
                         "print(int((time.monotonic() - quiet) * 1000))\n";
    auto r = run_process({"python3", "-c", script, std::to_string(engine.sni_port())}, std::chrono::seconds(20));
    INFO(r.out, r.err);
    std::istringstream out(r.out);
    std::string line;
    for (int i = 0; i < 3; ++i) {
        std::getline(out, line);
        CHECK(line == "HTTP/1.1 200 OK");
    }
    std::getline(out, line);
    CHECK(line == "eof");
    std::getline(out, line);
    const int quiet_ms = std::atoi(line.c_str());
    CHECK(quiet_ms >= 1400);
    CHECK(quiet_ms < 8000);
    // What tlsfault recorded: an accepted certificate, three answered requests, then the close.
    CHECK(json_field(engine.verdict_for("good.tlsfault.test"), "outcome") == "accepted");
    auto close = engine.wait_for_event("close", "good.tlsfault.test");
    CHECK(answered_with_200(close) == 3);
    CHECK(std::atof(json_field(close, "duration_ms").c_str()) >= 2400);
}

TEST_CASE("run: pipelined requests are all answered, in one TLS record or in several sent at once, small or 3 KB") {
    // Between requests tlsfault waits for the socket only when nothing is left to read: bytes
    // already read (in the request buffer, or TLS records not yet decrypted) must be answered
    // without waiting for more. A regression shows as a client waiting for --idle-timeout.
    RunningEngine engine({"--idle-timeout", "20s"});
    std::string script = python_tls_client +
                         "big = get[:-2] + b'X-Pad: ' + b'p' * 3000 + b'\\r\\n\\r\\n'\n"
                         "for records, req in ((1, get), (3, get), (3, big)):\n"
                         "    t = connect(5)\n"
                         "    if records == 1:\n"
                         "        t.sendall(req * 3)\n"
                         "    else:\n"
                         "        for _ in range(3): t.sendall(req)\n"
                         "    got = b''\n"
                         "    try:\n"
                         "        while got.count(b'</html>') < 3:\n"
                         "            got += t.recv(65536)\n"
                         "    except socket.timeout:\n"
                         "        pass\n"
                         "    print(records, got.count(b'HTTP/1.1 200 OK'))\n"
                         "    t.close()\n";
    auto r = run_process({"python3", "-c", script, std::to_string(engine.sni_port())}, std::chrono::seconds(30));
    INFO(r.out, r.err);
    CHECK(r.out == "1 3\n3 3\n3 3\n");
    // tlsfault's own record: three connections, three answered requests each.
    engine.wait_for_verdicts(3);
    std::size_t closes = 0;
    for (int tries = 0; tries < 100 && closes < 3; ++tries) {
        closes = 0;
        for (const auto& line : engine.events())
            if (json_field(line, "event") == "close") ++closes;
        if (closes < 3) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(closes == 3);
    for (const auto& line : engine.events())
        if (json_field(line, "event") == "close") CHECK(answered_with_200(line) == 3);
}
