// Bad API input gets a clear 4xx with a JSON body naming the field, while a real client going
// through the proxy in the same test still gets its answer.
#include "tests/integration/api/api_client.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <chrono>
#include <thread>

using namespace tlsfault::test;
namespace json = boost::json;

namespace {

/// curl https://good.tlsfault.test/ through the explicit proxy: must succeed, and be recorded.
void traffic_still_flows(const RunningEngine& e) {
    auto r = curl({"-sS", "--cacert", e.root_pem(), "-x", "http://127.0.0.1:" + std::to_string(e.proxy_port()), "-o", "/dev/null", "-w",
                   "%{http_code}", "https://good.tlsfault.test/"});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "200");
}

}  // namespace

TEST_CASE("api: bad input gets 401/400/404/405/409/413 with a JSON error naming the field, while traffic keeps flowing") {
    RunningEngine e;
    const auto since = api(e, "GET", "/api/v1/connections").json.at("last_id").to_number<std::uint64_t>();

    auto no_token = api(e, "GET", "/api/v1/active", {.token = ""});
    CHECK(no_token.status == 401);
    CHECK(no_token.str("field") == "Authorization");
    auto wrong = api(e, "GET", "/api/v1/active", {.token = "not-the-token"});
    CHECK(wrong.status == 401);
    CHECK(wrong.str("error").find("missing or wrong token") != std::string::npos);
    // The cookie and the query parameter are accepted too (for the dashboard).
    CHECK(api(e, "GET", "/api/v1/active", {.token = "", .curl_args = {"-H", "Cookie: tlsfault_token=" + e.api_token()}}).status == 200);
    CHECK(api(e, "GET", "/api/v1/active?token=" + e.api_token(), {.token = ""}).status == 200);

    auto bad_json = api(e, "PUT", "/api/v1/active", {.body = R"({"scenarios": ["cert-expired",)"});
    CHECK(bad_json.status == 400);
    CHECK(bad_json.str("field") == "body");
    CHECK(bad_json.str("error").find("not valid JSON at byte") != std::string::npos);
    auto wrong_type = api(e, "PUT", "/api/v1/active", {.body = R"({"scenarios": ["cert-expired", 7]})"});
    CHECK(wrong_type.status == 400);
    CHECK(wrong_type.str("field") == "scenarios[1]");
    auto unknown_key = api(e, "PUT", "/api/v1/active", {.body = R"({"scenario": []})"});
    CHECK(unknown_key.status == 400);
    CHECK(unknown_key.str("field") == "scenario");

    auto unknown = api(e, "POST", "/api/v1/active/cert-expird");
    CHECK(unknown.status == 404);
    CHECK(unknown.str("error") == "unknown scenario 'cert-expird'; did you mean 'cert-expired'?");
    auto unknown_put = api(e, "PUT", "/api/v1/active", {.body = R"({"scenarios": ["cert-good", "nope-nothing"]})"});
    CHECK(unknown_put.status == 404);
    CHECK(unknown_put.str("field") == "scenarios[1]");
    CHECK(api(e, "DELETE", "/api/v1/active/cert-good").status == 404);  // not active

    const std::string bad_yaml = "name: broken\ntitle: t\nrules:\n  - match: {host: x.tlsfault.test}\n    tls: {alert: no_such_alert}\n";
    auto invalid = put_inline_yaml(e, bad_yaml);
    CHECK(invalid.status == 400);
    CHECK(invalid.str("field") == "yaml[0]");
    INFO(invalid.body);
    const auto& problems = invalid.json.at("problems").as_array();
    REQUIRE(problems.size() == 2);  // every problem, as `tlsfault validate` lists them
    CHECK(member(problems[0], {}) == "yaml[0]:1:1: description: missing (required)");
    CHECK(member(problems[1], {}).starts_with("yaml[0]:5:18: rules[0].tls.alert: unknown alert 'no_such_alert'"));
    // Nothing half-applied: the active set is still empty.
    CHECK(api(e, "GET", "/api/v1/active").json.at("scenarios").as_array().empty());

    CHECK(api(e, "POST", "/api/v1/active/cert-good").status == 201);
    auto twice = api(e, "POST", "/api/v1/active/cert-good");
    CHECK(twice.status == 409);
    CHECK(twice.str("field") == "name");

    auto method = api(e, "DELETE", "/api/v1/scenarios");
    CHECK(method.status == 405);
    CHECK(method.str("field") == "method");
    auto path = api(e, "GET", "/api/v1/nothing-here");
    CHECK(path.status == 404);
    CHECK(path.str("field") == "path");
    auto bad_id = api(e, "GET", "/api/v1/connections/abc");
    CHECK(bad_id.status == 400);
    CHECK(bad_id.str("field") == "id");
    auto bad_timeout = api(e, "GET", "/api/v1/connections/wait?timeout=soon");
    CHECK(bad_timeout.status == 400);
    CHECK(bad_timeout.str("field") == "timeout");

    auto huge = api(e, "PUT", "/api/v1/active", {.body = std::string(10 * 1024 * 1024, ' ')});
    CHECK(huge.status == 413);
    CHECK(huge.str("field") == "body");

    traffic_still_flows(e);
    auto record = wait_connection(e, "good.tlsfault.test", since);
    CHECK(member(record, {"listener"}) == "proxy");
    CHECK(member(record, {"verdict", "outcome"}) == "accepted");
    CHECK(member(record, {"scenario"}) == "cert-good");
}

TEST_CASE("api: connections/wait times out with 408 and a JSON error when nothing matches") {
    RunningEngine e;
    auto a = api(e, "GET", "/api/v1/connections/wait?host=never.tlsfault.test&timeout=300ms");
    CHECK(a.status == 408);
    CHECK(a.str("field") == "timeout");
    CHECK(a.str("error").find("host=never.tlsfault.test") != std::string::npos);
}

TEST_CASE("run: a non-loopback --api-listen without --api-token is refused at start (exit 2)") {
    TempDir dir;
    auto r = run_process({tlsfault_binary(), "run", "--state-dir", dir / "state", "--sni-listen", "127.0.0.1:0", "--proxy-listen", "off",
                          "--revocation-listen", "off", "--api-listen", "192.0.2.1:0"},
                         std::chrono::seconds(20));
    CHECK(r.exit_code == 2);
    CHECK(r.err ==
          "tlsfault: --api-listen 192.0.2.1:0: a non-loopback address needs an explicit --api-token (anyone who can reach it "
          "could change the faults)\n");
    CHECK(r.out.empty());
}

TEST_CASE("run: the API token is generated once into the state directory, mode 0600, and --api-token overrides it") {
    RunningEngine first;
    const std::string token = first.api_token();
    CHECK(token.size() == 64);
    auto mode = run_process({"stat", "-c", "%a", first.dir() / "state/api-token"});
    CHECK(mode.out == "600\n");
    CHECK(first.console().find("token: " + first.dir() / "state/api-token") != std::string::npos);

    RunningEngine given({"--api-token", "s3cret"});
    CHECK(api(given, "GET", "/api/v1/active", {.token = "s3cret"}).status == 200);
    CHECK(api(given, "GET", "/api/v1/active", {.token = "wrong"}).status == 401);
}

TEST_CASE("api: connections/wait?closed=true waits for a kept-alive connection's close, then has every request's status") {
    RunningEngine e;
    TempDir dir;
    const auto since = api(e, "GET", "/api/v1/connections").json.at("last_id").to_number<std::uint64_t>();
    // A python3 client that reads its answer, says so, and keeps the connection open until ended.
    const std::string script =
        "import socket, ssl, sys, time\n"
        "ctx = ssl.create_default_context(cafile=sys.argv[2])\n"
        "s = ctx.wrap_socket(socket.create_connection(('127.0.0.1', int(sys.argv[1]))), server_hostname='good.tlsfault.test')\n"
        "s.sendall(b'GET / HTTP/1.1\\r\\nHost: good.tlsfault.test\\r\\n\\r\\n')\n"
        "data = b''\n"
        "while b'</html>' not in data: data += s.recv(65536)\n"
        "print(data.split(b'\\r\\n')[0].decode(), flush=True)\n"
        "time.sleep(60)\n";
    const std::string log = dir / "client.log";
    BackgroundProcess client({"python3", "-c", script, std::to_string(e.sni_port()), e.root_pem()}, log);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (file_text(log).find("HTTP/1.1 200") == std::string::npos && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE_MESSAGE(file_text(log).find("HTTP/1.1 200") != std::string::npos, file_text(log));

    const std::string filter = "host=good.tlsfault.test&since=" + std::to_string(since);
    CHECK(api(e, "GET", "/api/v1/connections/wait?" + filter + "&timeout=5s").status == 200);  // the verdict is in
    auto still_open = api(e, "GET", "/api/v1/connections/wait?" + filter + "&closed=true&timeout=300ms");
    CHECK(still_open.status == 408);
    CHECK(api(e, "GET", "/api/v1/connections/wait?" + filter + "&closed=maybe").str("field") == "closed");

    client.stop();
    auto closed = api(e, "GET", "/api/v1/connections/wait?" + filter + "&closed=true&timeout=10s");
    REQUIRE(closed.status == 200);
    CHECK(closed.json.at("close").is_object());
    CHECK(closed.json.at("requests").at(0).at("status").to_number<int>() == 200);
}
