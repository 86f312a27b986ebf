// The `tcp` faults (Toxiproxy parity) end to end: the net-* catalogue scenarios and a few custom
// files, against curl and python3 on loopback. Each test checks what the client saw (its error,
// exit code, or how long it took) AND what tlsfault recorded (the `fault` events, the verdict,
// the expectation). Durations are lower bounds set by the fault itself, never performance claims.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace tlsfault::test;

namespace {

/// curl -k to https://`host``path` through the SNI listener; stdout ends with "time=<seconds>".
ProcessResult timed_get(const RunningEngine& e, const std::string& host, std::vector<std::string> extra = {},
                        const std::string& path = "/") {
    std::vector<std::string> args{
        "-k", "-sS", "-o", "/dev/null", "-w", "status=%{http_code} time=%{time_total}", "--connect-to", connect_to(e, host)};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("https://" + host + path);
    return curl(args);
}

double seconds_in(const std::string& out) {
    auto at = out.find("time=");
    return at == std::string::npos ? -1.0 : std::stod(out.substr(at + 5));
}

/// A one-rule scenario file for `host`: `rule_body` is the rule's YAML after its match.
std::string one_rule_scenario(const TempDir& dir, const std::string& name, const std::string& host, const std::string& rule_body) {
    return write_scenario(dir, name, "  - name: " + name + "\n    match:\n      host: " + host + "\n" + rule_body);
}

/// python3 with the lab root trusted: GET / over TLS with SNI `host`, then prints what happened.
ProcessResult python_get(const RunningEngine& e, const std::string& host, const std::string& extra_code = {}) {
    const std::string script =
        "import socket, ssl, sys, time\n"
        "host, port, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]\n"
        "ctx = ssl.create_default_context(cafile=root)\n"
        "raw = socket.create_connection(('127.0.0.1', port), timeout=10)\n"
        "try:\n"
        "    s = ctx.wrap_socket(raw, server_hostname=host)\n"
        "    s.sendall(b'GET / HTTP/1.1\\r\\nHost: ' + host.encode() + b'\\r\\nConnection: close\\r\\n\\r\\n')\n"
        "    data = b''\n"
        "    while True:\n"
        "        chunk = s.recv(65536)\n"
        "        if not chunk: break\n"
        "        data += chunk\n"
        "    print('status', data.split(b'\\r\\n', 1)[0].decode())\n" +
        extra_code +
        "except Exception as e:\n"
        "    print('error', type(e).__name__, e)\n"
        "    sys.exit(1)\n";
    return run_process({"python3", "-c", script, host, std::to_string(e.sni_port()), e.root_pem()}, std::chrono::seconds(30));
}

}  // namespace

TEST_CASE("run net-latency: curl gets its page, each server flight at least 200 ms late") {
    RunningEngine engine({"net-latency"});
    const std::string host = "net-latency.tlsfault.test";
    auto r = timed_get(engine, host);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("status=200") != std::string::npos);
    // Two server flights (ServerHello..Finished, then the response), each delayed 300 ms ± 100 ms.
    CHECK(seconds_in(r.out) >= 0.4);
    auto fault = engine.wait_for_event("fault", "\"type\":\"latency\"");
    CHECK(json_field(fault, "detail") == "latency 300ms ± 100ms");
    CHECK(json_field(fault, "stream") == "downstream");
    CHECK(json_field(engine.verdict_for(host), "outcome") == "accepted");
    CHECK(json_field(engine.wait_for_event("expectation"), "result") == "pass");
}

TEST_CASE("run net-latency: python3 gets its page too") {
    RunningEngine engine({"net-latency"});
    auto r = python_get(engine, "net-latency.tlsfault.test");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("status HTTP/1.1 200 OK") != std::string::npos);
    CHECK(json_field(engine.verdict_for("net-latency.tlsfault.test"), "outcome") == "accepted");
}

TEST_CASE("run net-reset: curl and python3 see connection reset by peer, the verdict says reset") {
    RunningEngine engine({"net-reset"});
    const std::string host = "net-reset.tlsfault.test";
    auto r = timed_get(engine, host);
    CHECK(r.exit_code == 35);
    CHECK(r.err.find("Connection reset by peer") != std::string::npos);
    auto v = engine.verdict_for(host);
    CHECK(json_field(v, "outcome") == "reset");
    CHECK(json_field(v, "reason").find("tcp fault") != std::string::npos);
    CHECK(json_field(engine.wait_for_event("fault"), "type") == "reset");
    CHECK(json_field(engine.wait_for_event("fault_fired"), "outcome") == "reset");
    CHECK(json_field(engine.wait_for_event("expectation"), "result") == "pass");

    auto py = python_get(engine, host);
    CHECK(py.exit_code == 1);
    CHECK(py.out.find("ConnectionResetError") != std::string::npos);
    CHECK(engine.wait_for_verdicts(2).size() == 2);
}

TEST_CASE("tcp reset with a timeout: an accepted request is cut mid-response, curl reports the reset") {
    TempDir dir;
    const std::string host = "reset-later.example.test";
    auto file = one_rule_scenario(dir, "reset-later", host,
                                  "    tcp:\n"
                                  "      - type: reset\n"
                                  "        timeout: 1s\n"
                                  "    http:\n"
                                  "      status: 200\n"
                                  "      delay: 4s\n"
                                  "      body: \"too late\\n\"\n"
                                  "    expect:\n"
                                  "      reject: [reset]\n");
    RunningEngine engine({file});
    auto r = timed_get(engine, host);
    CHECK(r.exit_code == 56);
    CHECK(r.err.find("Connection reset by peer") != std::string::npos);
    CHECK(json_field(engine.verdict_for(host), "outcome") == "accepted");  // the request was read first
    auto fired = engine.wait_for_event("fault_fired");
    CHECK(json_field(fired, "outcome") == "reset");
    CHECK(std::stod(json_field(fired, "elapsed_ms")) >= 1000.0);
    CHECK(std::stod(json_field(fired, "elapsed_ms")) < 3500.0);  // long before the 4 s answer
    // The expectation waits for the faults: judged on the reset the client saw, not the request.
    auto judged = engine.wait_for_event("expectation");
    CHECK(json_field(judged, "outcome") == "reset");
    CHECK(json_field(judged, "result") == "pass");
    CHECK(count_events(engine, "expectation") == 1);
}

TEST_CASE("run net-limit-data: the handshake stops after 100 bytes, curl and python3 see the stream end mid-handshake") {
    RunningEngine engine({"net-limit-data"});
    const std::string host = "net-limit-data.tlsfault.test";
    auto r = timed_get(engine, host);
    CHECK(r.exit_code == 35);
    CHECK(r.err.find("SSL_ERROR_SYSCALL") != std::string::npos);  // curl's word for an EOF mid-handshake
    auto v = engine.verdict_for(host);
    CHECK(json_field(v, "outcome") == "closed");
    CHECK(json_field(v, "reason") == "limit_data closed the connection after 100 bytes");
    CHECK(json_field(engine.wait_for_event("fault"), "detail") == "limit_data 100 bytes");
    CHECK(json_field(engine.wait_for_event("expectation"), "result") == "pass");

    auto py = python_get(engine, host);
    CHECK(py.exit_code == 1);
    CHECK(py.out.find("UNEXPECTED_EOF_WHILE_READING") != std::string::npos);
}

TEST_CASE("run net-blackhole: curl -m 2 times out, tlsfault records that the client gave up and keeps serving") {
    RunningEngine engine({"net-blackhole", "cmg-forbidden"});
    const std::string host = "net-blackhole.tlsfault.test";
    auto r = timed_get(engine, host, {"-m", "2"});
    CHECK(r.exit_code == 28);
    CHECK(r.err.find("timed out") != std::string::npos);
    auto v = engine.verdict_for(host);
    CHECK(json_field(v, "outcome") == "timeout");
    CHECK(json_field(v, "reason").find("blackholed: the client gave up after") == 0);
    CHECK(json_field(engine.wait_for_event("fault"), "detail") == "blackhole until the client gives up");
    CHECK(json_field(engine.wait_for_event("expectation"), "result") == "pass");
    // Another client right after is served normally.
    auto other = curl({"-k", "-sS", "-i", "--connect-to", connect_to(engine, "cmgsccm.contoso.com"),
                       "https://cmgsccm.contoso.com/CCM_PROXY_MUTUALAUTH/3456/SMS_MP/.sms_aut?SITESIGNCERT"});
    CHECK(other.out.find("403 CMGConnector_Forbidden") != std::string::npos);
}

TEST_CASE("tcp blackhole with a timeout: tlsfault closes first, the verdict says aborted") {
    TempDir dir;
    const std::string host = "blackhole-1s.example.test";
    auto file = one_rule_scenario(dir, "blackhole-1s", host,
                                  "    tcp:\n"
                                  "      - type: blackhole\n"
                                  "        timeout: 1s\n");
    RunningEngine engine({file});
    auto r = timed_get(engine, host, {"-m", "10"});
    CHECK(r.exit_code == 35);
    auto v = engine.verdict_for(host);
    CHECK(json_field(v, "outcome") == "aborted");
    CHECK(json_field(v, "reason").find("blackholed: closed by tlsfault after 1s") == 0);
}

TEST_CASE("tcp bandwidth: 24 KB at 8 KB/s takes at least 2 s and arrives whole") {
    TempDir dir;
    const std::string host = "slow-link.example.test";
    auto file = one_rule_scenario(dir, "slow-link", host,
                                  "    tcp:\n"
                                  "      - type: bandwidth\n"
                                  "        rate: 8KB/s\n"
                                  "    http:\n"
                                  "      status: 200\n"
                                  "      body: \"" +
                                      std::string(24 * 1024, 'x') + "\"\n");
    RunningEngine engine({file});
    auto r = curl({"-k", "-sS", "-o", "/dev/null", "-w", "size=%{size_download} time=%{time_total}", "--connect-to",
                   connect_to(engine, host), "https://" + host + "/"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("size=24576") != std::string::npos);
    CHECK(seconds_in(r.out) >= 2.0);
    CHECK(json_field(engine.wait_for_event("fault"), "detail").find("bandwidth") == 0);
    CHECK(json_field(engine.verdict_for(host), "outcome") == "accepted");
}

TEST_CASE("run net-bandwidth and net-slicer: curl and python3 get the page through the slow or sliced stream") {
    RunningEngine engine({"net-bandwidth", "net-slicer"});
    for (const std::string host : {"net-bandwidth.tlsfault.test", "net-slicer.tlsfault.test"}) {
        CAPTURE(host);
        auto r = timed_get(engine, host);
        CHECK(r.exit_code == 0);
        CHECK(r.out.find("status=200") != std::string::npos);
        auto py = python_get(engine, host);
        CHECK(py.exit_code == 0);
        CHECK(py.out.find("status HTTP/1.1 200 OK") != std::string::npos);
    }
    CHECK(!engine.wait_for_event("fault", "\"type\":\"slicer\"").empty());
    CHECK(!engine.wait_for_event("fault", "\"type\":\"bandwidth\"").empty());
    auto verdicts = engine.wait_for_verdicts(4);
    CHECK(verdicts.size() == 4);
    for (const auto& v : verdicts) CHECK(json_field(v, "outcome") == "accepted");
}

TEST_CASE("run net-slow-close: the response arrives at once, the FIN 5 s later") {
    RunningEngine engine({"net-slow-close"});
    // After TLS's own close_notify, python3 drops to the raw socket and times the TCP FIN.
    auto r = python_get(engine, "net-slow-close.tlsfault.test",
                        "    started = time.monotonic()\n"
                        "    raw = s.unwrap()\n"
                        "    raw.settimeout(10)\n"
                        "    while raw.recv(1024): pass\n"
                        "    print('fin_after %.2f' % (time.monotonic() - started))\n");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("status HTTP/1.1 200 OK") != std::string::npos);
    auto at = r.out.find("fin_after ");
    REQUIRE(at != std::string::npos);
    CHECK(std::stod(r.out.substr(at + 10)) >= 4.0);
    CHECK(json_field(engine.wait_for_event("fault"), "detail").find("slow_close") == 0);
    CHECK(json_field(engine.verdict_for("net-slow-close.tlsfault.test"), "outcome") == "accepted");
}

TEST_CASE("a client that resets a faulted connection mid-handshake gets the verdict reset, not closed") {
    RunningEngine engine({"net-latency"});
    const std::string host = "net-latency.tlsfault.test";
    // The ClientHello goes out; the ServerHello is 200-400 ms late; the client resets first.
    const std::string script =
        "import socket, ssl, struct, sys\n"
        "ctx = ssl.create_default_context()\n"
        "raw = socket.create_connection(('127.0.0.1', int(sys.argv[1])))\n"
        "s = ctx.wrap_socket(raw, server_hostname=sys.argv[2], do_handshake_on_connect=False)\n"
        "s.settimeout(0.05)\n"
        "try:\n"
        "    s.do_handshake()\n"
        "except (socket.timeout, ssl.SSLWantReadError):\n"
        "    print('waiting for the ServerHello')\n"
        "s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))\n"
        "s.close()\n";
    auto r = run_process({"python3", "-c", script, std::to_string(engine.sni_port()), host});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("waiting for the ServerHello") != std::string::npos);
    auto v = engine.verdict_for(host);
    CHECK(json_field(v, "outcome") == "reset");
    CHECK(json_field(v, "reason") == "the client reset the connection");
}

TEST_CASE("tcp faults on the upstream stream: the client's own bytes are delayed, then cut after the limit") {
    TempDir dir;
    const std::string slow = "slow-uplink.example.test", cut = "cut-uplink.example.test";
    auto file = write_scenario(dir, "uplink",
                               "  - name: slow uplink\n"
                               "    match: {host: " +
                                   slow +
                                   "}\n"
                                   "    tcp:\n"
                                   "      - {type: latency, latency: 500ms, stream: upstream}\n"
                                   "  - name: cut uplink\n"
                                   "    match: {host: " +
                                   cut +
                                   "}\n"
                                   "    tcp:\n"
                                   "      - {type: limit_data, bytes: 20 bytes, stream: upstream}\n");
    RunningEngine engine({file});
    // After its ClientHello the client sends at least one more flight (Finished, request).
    auto delayed = timed_get(engine, slow);
    CHECK(delayed.exit_code == 0);
    CHECK(delayed.out.find("status=200") != std::string::npos);
    CHECK(seconds_in(delayed.out) >= 0.5);
    auto fault = engine.wait_for_event("fault", "\"type\":\"latency\"");
    CHECK(json_field(fault, "stream") == "upstream");
    CHECK(json_field(engine.verdict_for(slow), "outcome") == "accepted");

    // 20 bytes of the client's Finished get through, then tlsfault closes: the handshake dies.
    auto cut_short = timed_get(engine, cut);
    CHECK(cut_short.exit_code != 0);
    auto v = engine.verdict_for(cut);
    CHECK(json_field(v, "outcome") == "closed");
    CHECK(json_field(v, "reason") == "limit_data closed the connection after 20 bytes");
    CHECK(json_field(engine.wait_for_event("fault", "\"type\":\"limit_data\""), "stream") == "upstream");
}

TEST_CASE("tcp fault probability: about half the connections draw it, and a second run draws the same ones") {
    TempDir dir;
    const std::string host = "sometimes.example.test";
    auto file = one_rule_scenario(dir, "sometimes", host,
                                  "    tcp:\n"
                                  "      - {type: slicer, average_size: 64 bytes, probability: 0.5}\n");
    // Which of 12 connections drew the fault: the draw hashes the seed, client, host and attempt.
    auto draws = [&] {
        RunningEngine engine({file});
        for (int i = 0; i < 12; ++i) CHECK(timed_get(engine, host).exit_code == 0);
        REQUIRE(engine.wait_for_verdicts(12).size() == 12);
        std::string drawn;
        for (const auto& line : engine.events())
            if (json_field(line, "event") == "fault") drawn += json_field(line, "conn") + " ";
        return drawn;
    };
    const std::string first = draws();
    const auto faulted = std::count(first.begin(), first.end(), ' ');
    CHECK(faulted >= 2);
    CHECK(faulted <= 10);
    CHECK(draws() == first);
}

TEST_CASE("http.abort_after behind a tcp fault: the session's reset still reaches curl as a reset") {
    TempDir dir;
    const std::string host = "abort-behind-latency.example.test";
    auto file = one_rule_scenario(dir, "abort-behind-latency", host,
                                  "    tcp:\n"
                                  "      - {type: latency, latency: 50ms}\n"
                                  "    http:\n"
                                  "      status: 200\n"
                                  "      body: \"" +
                                      std::string(4096, 'x') +
                                      "\"\n"
                                      "      abort_after: 100 bytes\n");
    RunningEngine engine({file});
    auto r = timed_get(engine, host);
    CHECK(r.exit_code == 56);
    CHECK_MESSAGE(r.err.find("Connection reset by peer") != std::string::npos, r.err);
    CHECK(json_field(engine.verdict_for(host), "outcome") == "accepted");
    CHECK(json_field(engine.wait_for_event("fault"), "type") == "latency");
}

TEST_CASE("corrupt: one byte flipped mid-response, curl fails with bad record mac and tlsfault records the fault") {
    TempDir dir;
    const std::string host = "corrupt.tlsfault.test";
    // 8 KB is past the server's handshake flight (about 3 KB with the lab chain) and inside the
    // first 16 KB record of the 20 KB body, so the flipped byte is ciphertext, not a record header.
    auto file = one_rule_scenario(dir, "corrupt", host,
                                  "    tcp:\n"
                                  "      - {type: corrupt, after: 8KB}\n"
                                  "    http:\n"
                                  "      status: 200\n"
                                  "      body: \"" +
                                      std::string(20000, 'x') + "\"\n");
    RunningEngine engine({file});
    auto r = timed_get(engine, host);
    INFO(r.err);
    CHECK(r.exit_code == 56);  // curl: failure receiving network data
    CHECK(r.err.find("bad record mac") != std::string::npos);
    auto fault = engine.wait_for_event("fault", "\"type\":\"corrupt\"");
    CHECK(json_field(fault, "detail") == "corrupt the byte after 8 KB");
    CHECK(json_field(fault, "stream") == "downstream");
    // The handshake and the request were untouched: the connection's verdict is the session's.
    CHECK(json_field(engine.verdict_for(host), "outcome") == "accepted");

    // Without the fault the same answer arrives whole: the failure above is the flipped byte.
    TempDir clean_dir;
    auto clean =
        one_rule_scenario(clean_dir, "clean", host, "    http:\n      status: 200\n      body: \"" + std::string(20000, 'x') + "\"\n");
    RunningEngine clean_engine({clean});
    auto ok = timed_get(clean_engine, host);
    CHECK(ok.exit_code == 0);
    CHECK(ok.out.find("status=200") == 0);
}
